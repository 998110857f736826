package dev.nexus.host.memory;

import dev.nexus.host.Ids;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.conversation.CompletedTurn;
import dev.nexus.host.conversation.RecallRequest;
import dev.nexus.host.conversation.RecalledItem;
import dev.nexus.host.conversation.TurnObserver;
import dev.nexus.host.conversation.TurnRecall;
import dev.nexus.host.db.Database;
import dev.nexus.host.llm.CachedEmbedder;
import dev.nexus.host.llm.Embedder;
import dev.nexus.host.llm.TokenEstimate;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.vector.IndexSettings;
import dev.nexus.host.vector.Vectors;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory feature's front door: episodic memory (every message), semantic memory (facts),
 * profiles and relationships; retrieval ranked by relevance × recency × importance; the
 * memory side of the conversation's {@link TurnRecall} (memories within the turn's share of the token budget) and
 * {@link TurnObserver} (store the turn, extract facts, update the relationship); scheduled
 * consolidation.
 *
 * <p>Thread-safe. {@link #start()} loads the vector index from the database in the background
 * (retrieval uses keywords until it is loaded) and schedules consolidation; {@link #close()} stops
 * the schedule (the scheduler itself belongs to the caller).
 */
public final class MemoryService implements TurnRecall.Source, TurnObserver, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryService.class);
    private static final Pattern USER = Pattern.compile("[^\\p{Cntrl}]{1,200}");

    private final MemorySettings settings;
    private final Database database;
    private final Optional<FactExtractor> model;
    private final Embedder embedder;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final FactRepository facts;
    private final EpisodeRepository episodes;
    private final PeopleRepository people;
    private final MemoryIndex index;
    private final FactWriter writer;
    private final Retrieval retrieval;
    private final Consolidation consolidation;
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();
    private volatile java.util.concurrent.ScheduledFuture<?> consolidating;

    /**
     * Creates the service.
     *
     * @param settings the {@code memory} section
     * @param database where memories live
     * @param embedder makes vectors (wrap it in a {@link CachedEmbedder} to cache repeated texts)
     * @param model a fact extractor backed by the language model, when one is configured
     * @param clock the time of every write and of recency
     * @param scheduler runs the index load, index re-clustering and consolidation
     */
    public MemoryService(
            MemorySettings settings,
            Database database,
            Embedder embedder,
            Optional<FactExtractor> model,
            Clock clock,
            ScheduledExecutorService scheduler) {
        this(settings, database, embedder, model, Optional.empty(), clock, scheduler);
    }

    /**
     * Creates the service.
     *
     * @param settings the {@code memory} section
     * @param database where memories live
     * @param embedder makes vectors (wrap it in a {@link CachedEmbedder} to cache repeated texts)
     * @param model a fact extractor backed by the language model, when one is configured
     * @param summariser consolidation's summaries of old conversations with the language model, when one is configured
     * @param clock the time of every write and of recency
     * @param scheduler runs the index load, index re-clustering and consolidation
     */
    public MemoryService(
            MemorySettings settings,
            Database database,
            Embedder embedder,
            Optional<FactExtractor> model,
            Optional<ModelSummariser> summariser,
            Clock clock,
            ScheduledExecutorService scheduler) {
        this.settings = settings;
        this.database = database;
        this.model = model;
        this.embedder = embedder;
        this.clock = clock;
        this.scheduler = scheduler;
        this.facts = new FactRepository(database);
        this.episodes = new EpisodeRepository(database);
        this.people = new PeopleRepository(database);
        this.index = new MemoryIndex(IndexSettings.defaults(), scheduler);
        this.writer = new FactWriter(facts, index, embedder, clock);
        this.retrieval = new Retrieval(settings, facts, episodes, index, embedder::embedIfReady);
        this.consolidation = new Consolidation(settings, facts, episodes, index, writer, clock, summariser);
    }

    /** Loads the index in the background and schedules consolidation. */
    public void start() {
        scheduler.execute(this::loadIndex);
        int minutes = settings.consolidationIntervalMinutes();
        if (minutes > 0) {
            consolidating =
                    scheduler.scheduleWithFixedDelay(this::consolidateAndLog, minutes, minutes, TimeUnit.MINUTES);
        }
    }

    /**
     * Loads the index in the background and has {@code schedule} run consolidation every
     * {@code memory.consolidation-interval-minutes} (a cluster runs it on one host at a time).
     */
    public void start(java.util.function.BiConsumer<java.time.Duration, Runnable> schedule) {
        scheduler.execute(this::loadIndex);
        int minutes = settings.consolidationIntervalMinutes();
        if (minutes > 0) {
            schedule.accept(java.time.Duration.ofMinutes(minutes), this::consolidateAndLog);
        }
    }

    private void consolidateAndLog() {
        try {
            ConsolidationReport report = consolidate();
            LOG.info("memory consolidation: {}", report);
        } catch (RuntimeException e) {
            LOG.warn(
                    "memory consolidation failed; will try again in {} minutes",
                    settings.consolidationIntervalMinutes(),
                    e);
        }
    }

    /** Completes when the index has been loaded from the database (for tests and health). */
    public CompletableFuture<Void> loaded() {
        return loaded;
    }

    private void loadIndex() {
        try {
            List<Runnable> reembed = new ArrayList<>();
            facts.forEachStored(stored -> {
                Fact fact = stored.fact();
                if (!fact.current()) {
                    return; // history: kept in the database, not searched
                }
                boolean current =
                        stored.embedding().isPresent() && stored.model().equals(embedder.name());
                index.follow(
                        fact.id(),
                        Retrieval.meta(fact),
                        fact.text(),
                        current
                                ? Optional.of(
                                        Vectors.fromBytes(stored.embedding().get()))
                                : Optional.empty());
                if (!current) {
                    reembed.add(() -> writer.embed(fact.text()).ifPresent(v -> {
                        facts.saveEmbedding(fact.id(), Vectors.toBytes(v), embedder.name());
                        index.putVector(fact.id(), v);
                    }));
                }
            });
            episodes.forEachStored(stored -> {
                Episode e = stored.episode();
                MemoryIndex.Meta meta =
                        new MemoryIndex.Meta(e.user(), false, e.personality(), Optional.empty(), e.at());
                boolean current =
                        stored.embedding().isPresent() && stored.model().equals(embedder.name());
                index.follow(
                        e.id(),
                        meta,
                        e.text(),
                        current
                                ? Optional.of(
                                        Vectors.fromBytes(stored.embedding().get()))
                                : Optional.empty());
                if (!current) {
                    reembed.add(() -> writer.embed(e.text()).ifPresent(v -> {
                        episodes.saveEmbedding(e.id(), Vectors.toBytes(v), embedder.name());
                        index.putVector(e.id(), v);
                    }));
                }
            });
            index.clusterAll();
            index.markLoaded();
            loaded.complete(null);
            LOG.info(
                    "memory index loaded: {} vectors for {} users; {} to re-embed",
                    index.size(),
                    index.users(),
                    reembed.size());
            warnIfTheHeapIsTight(index.size());
            reembed.forEach(Runnable::run);
        } catch (RuntimeException e) {
            LOG.error("memory index could not be loaded; retrieval falls back to keywords", e);
            loaded.completeExceptionally(e);
        }
    }

    // ---- Other hosts -------------------------------------------------------------------------

    /** Tells {@code listener} the id of every memory this host added to or removed from its index. */
    public void onIndexChange(java.util.function.Consumer<String> listener) {
        index.onChange(listener);
    }

    /**
     * Brings the index entry {@code id} in line with the database after another host wrote or
     * deleted that memory: present with a vector of this host's embedding model, it is indexed;
     * gone, it is removed.
     */
    public void changedElsewhere(String id) {
        Optional<FactRepository.Stored> fact = facts.stored(id);
        if (fact.isPresent()) {
            FactRepository.Stored stored = fact.get();
            if (!stored.fact().current()) {
                index.forget(id);
                return;
            }
            index.follow(
                    id,
                    Retrieval.meta(stored.fact()),
                    stored.fact().text(),
                    current(stored.embedding(), stored.model()));
            return;
        }
        Optional<EpisodeRepository.Stored> episode = episodes.stored(id);
        if (episode.isPresent() && episode.get().episode().role().equals("user")) {
            Episode e = episode.get().episode();
            index.follow(
                    id,
                    new MemoryIndex.Meta(e.user(), false, e.personality(), Optional.empty(), e.at()),
                    e.text(),
                    current(episode.get().embedding(), episode.get().model()));
            return;
        }
        if (episode.isEmpty()) {
            index.forget(id);
        }
    }

    /** The stored vector, when this host's embedding model made it. */
    private Optional<float[]> current(Optional<byte[]> embedding, String model) {
        return embedding.filter(e -> model.equals(embedder.name())).map(Vectors::fromBytes);
    }

    /** Reloads the whole index from the database (notices from other hosts may have been missed). */
    public void resync() {
        scheduler.execute(this::loadIndex);
    }

    // ---- Facts ------------------------------------------------------------------------------

    /**
     * Stores an explicitly stated fact (de-duplicated like extracted ones).
     *
     * @throws InvalidInputException for a missing user or fact, an oversized fact, an unknown category
     */
    public Fact remember(NewFact request) {
        Checked checked = check(request, "");
        return writer.write(
                request.user(), checked.personality(), checked.fact(), FactSource.EXPLICIT, checked.stating());
    }

    /**
     * Stores a history of facts for {@code user} with their dates (the bulk {@code POST
     * /v1/memory/import}): every entry is checked before any is stored, then each is written like
     * {@link #remember}, oldest first so later statements supersede earlier ones. At most 1,000.
     *
     * @throws InvalidInputException naming the first bad entry; nothing is stored then
     */
    public List<Fact> importFacts(String user, List<NewFact> entries) {
        checkUser(user);
        if (entries == null || entries.isEmpty() || entries.size() > 1000) {
            throw new InvalidInputException("field 'facts' must hold 1-1000 facts, got "
                    + (entries == null ? 0 : entries.size()) + "; split a longer history into several imports");
        }
        List<Checked> checked = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            NewFact entry = entries.get(i);
            if (entry == null) {
                throw new InvalidInputException("facts[" + i + "] must be an object with at least 'fact'");
            }
            checked.add(check(entry.forUser(user), "facts[" + i + "]."));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < checked.size(); i++) {
            order.add(i);
        }
        Instant now = clock.instant();
        order.sort(
                Comparator.comparing(i -> checked.get(i).stating().occurredAt().orElse(now)));
        Fact[] stored = new Fact[checked.size()];
        for (int i : order) {
            Checked c = checked.get(i);
            stored[i] = writer.write(user, c.personality(), c.fact(), FactSource.EXPLICIT, c.stating());
        }
        return List.of(stored);
    }

    private record Checked(String personality, ExtractedFact fact, FactWriter.Stating stating) {}

    private Checked check(NewFact request, String field) {
        checkUser(request.user());
        String text = request.fact() == null ? "" : request.fact().strip();
        if (text.isEmpty()) {
            throw new InvalidInputException("field '" + field + "fact' is required: the statement to remember");
        }
        if (text.length() > settings.maxFactChars()) {
            throw new InvalidInputException(field + "fact is " + text.length() + " characters, at most "
                    + settings.maxFactChars() + " are allowed; store the gist, not the transcript");
        }
        FactCategory category =
                request.category() == null ? FactCategory.OTHER : FactCategory.parse(request.category());
        double confidence = request.confidence() == null ? 1.0 : request.confidence();
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new InvalidInputException(field + "confidence must be between 0 and 1, got " + confidence);
        }
        String personality =
                request.personality() == null || request.personality().isBlank()
                        ? ""
                        : PersonalityId.of(request.personality()).value();
        Optional<Instant> occurred = Optional.ofNullable(request.occurredAt())
                .filter(v -> !v.isBlank())
                .map(v -> TimeExpressions.parseInstant(v, field + "occurredAt"));
        Optional<String> externalId =
                Optional.ofNullable(request.externalId()).map(String::strip).filter(v -> !v.isEmpty());
        if (externalId.isPresent()
                && (externalId.get().length() > 200
                        || !USER.matcher(externalId.get()).matches())) {
            throw new InvalidInputException("field '" + field + "externalId' must be 1-200 characters without control "
                    + "characters, got '" + InvalidInputException.cap(externalId.get()) + "'");
        }
        Map<String, String> metadata = request.metadata();
        if (metadata.size() > 20) {
            throw new InvalidInputException(
                    "field '" + field + "metadata' holds " + metadata.size() + " entries, at most 20 are allowed");
        }
        metadata.forEach((k, v) -> {
            if (k == null || k.isBlank() || k.length() > 100 || v == null || v.length() > 500) {
                throw new InvalidInputException(
                        "field '" + field + "metadata' needs keys of 1-100 characters and string values "
                                + "of at most 500, got key '" + InvalidInputException.cap(String.valueOf(k)) + "'");
            }
        });
        Optional<String> slot =
                Optional.ofNullable(request.slot()).map(String::strip).filter(v -> !v.isEmpty());
        if (slot.isPresent() && !slot.get().matches("[a-z][a-z0-9_-]{0,99}")) {
            throw new InvalidInputException(
                    "field '" + field + "slot' must be a lower-case word such as 'home' or 'job', got '"
                            + InvalidInputException.cap(slot.get()) + "'");
        }
        return new Checked(
                personality,
                new ExtractedFact(text, category, confidence, slot),
                new FactWriter.Stating(
                        occurred, Optional.empty(), externalId, metadata, Boolean.TRUE.equals(request.pinned())));
    }

    /** Returns one fact with its versions (oldest first: the history of its slot, or the fact alone). */
    public FactRecord inspect(String id) {
        Fact fact = facts.find(id)
                .orElseThrow(() -> new NotFoundException("no fact '" + InvalidInputException.cap(id) + "'"));
        List<Fact> versions = fact.slot()
                .map(slot -> facts.versions(fact.user(), fact.personality().orElse(""), slot))
                .orElse(List.of(fact));
        return new FactRecord(fact, versions);
    }

    /**
     * A fact as the inspector shows it. Immutable.
     *
     * @param fact the fact
     * @param versions every version of what it says (its slot's facts), oldest first, itself included
     */
    public record FactRecord(Fact fact, List<Fact> versions) {
        /** Copies the versions. */
        public FactRecord {
            versions = List.copyOf(versions);
        }
    }

    /** Returns facts of {@code user}, newest first. */
    public List<Fact> facts(
            String user, Optional<String> personality, Optional<FactCategory> category, int limit, int offset) {
        return facts(user, personality, category, limit, offset, false);
    }

    /** Returns facts of {@code user}, newest first; superseded ones too when {@code history}. */
    public List<Fact> facts(
            String user,
            Optional<String> personality,
            Optional<FactCategory> category,
            int limit,
            int offset,
            boolean history) {
        checkUser(user);
        if (limit < 1 || limit > 1000 || offset < 0) {
            throw new InvalidInputException(
                    "limit must be 1-1000 and offset >= 0, got limit " + limit + ", offset " + offset);
        }
        return facts.list(user, personality.map(p -> PersonalityId.of(p).value()), category, limit, offset, history);
    }

    /** Returns the user a fact is about, or empty when there is no such fact (for ownership checks). */
    public Optional<String> ownerOfFact(String id) {
        return facts.find(id).map(Fact::user);
    }

    /**
     * Pins ({@code true}) or unpins one fact and returns it: a pinned fact is never dropped by
     * consolidation's per-user cap, and a pinned fact that a newer statement supersedes stays pinned
     * in the history.
     */
    public Fact pin(String id, boolean pinned) {
        if (!facts.setPinned(id, pinned)) {
            throw new NotFoundException("no fact '" + InvalidInputException.cap(id) + "'");
        }
        return facts.find(id)
                .orElseThrow(() -> new NotFoundException("no fact '" + InvalidInputException.cap(id) + "'"));
    }

    /** Deletes one fact, row and index entry. */
    public void forget(String id) {
        if (!facts.delete(id)) {
            throw new NotFoundException("no fact '" + InvalidInputException.cap(id) + "'");
        }
        index.remove(id);
    }

    /** Deletes every fact of {@code user}, rows and index entries; returns how many. */
    public int forgetUser(String user) {
        checkUser(user);
        List<String> ids = facts.deleteUser(user);
        ids.forEach(index::remove);
        return ids.size();
    }

    /** Returns whether the index holds an entry for {@code id} (for tests that deletion really deletes). */
    boolean indexed(String id) {
        return index.contains(id);
    }

    // ---- Retrieval --------------------------------------------------------------------------

    /** Searches memories, best first, with each score's components. */
    public List<Remembered> search(MemoryQuery query) {
        return search(query, Optional.empty());
    }

    /**
     * Searches memories; dates named in the query ("last May") are read in {@code zone}, or else in
     * the time zone of the user's profile (attribute {@code timeZone}), or else UTC.
     */
    public List<Remembered> search(MemoryQuery query, Optional<ZoneId> zone) {
        return retrieval.search(
                query,
                embedder.embedIfReady(query.text()),
                clock.instant(),
                Set.of(),
                zone.orElseGet(() -> zoneOf(query.user())));
    }

    /** The time zone of {@code user}'s profile (attribute {@code timeZone}), UTC when unset or unknown. */
    private ZoneId zoneOf(String user) {
        String name = people.profile(user)
                .map(p -> p.attributes().getOrDefault("timeZone", ""))
                .orElse("");
        try {
            return name.isBlank() ? ZoneOffset.UTC : ZoneId.of(name);
        } catch (java.time.DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

    /**
     * Returns the memories worth recalling for a turn, best first, within {@code tokenBudget}: the
     * memory side of the conversation's {@link TurnRecall} (which splits the budget with knowledge).
     */
    @Override
    public List<RecalledItem> recall(RecallRequest request, int tokenBudget) {
        List<RecalledItem> memories = chooseForTurn(request, tokenBudget);
        recordRetrieval(memories);
        return memories;
    }

    /**
     * Returns the memories like {@link #recall} and leaves writing their retrieval counts (with the time of
     * this recall) to the caller, which writes them in the transaction of the turn's reply: one commit
     * fewer per turn that recalls anything.
     */
    @Override
    public TurnRecall.Noted recallForTurn(RecallRequest request, int tokenBudget) {
        List<RecalledItem> memories = chooseForTurn(request, tokenBudget);
        if (memories.isEmpty()) {
            return new TurnRecall.Noted(memories, Map.of());
        }
        Instant now = clock.instant();
        return new TurnRecall.Noted(
                memories, Map.of(), () -> database.inTransaction(() -> recordRetrieval(memories, now)));
    }

    private List<RecalledItem> chooseForTurn(RecallRequest request, int tokenBudget) {
        if (tokenBudget <= 0 || settings.maxRecalled() <= 0 || !validUser(request.user())) {
            return List.of();
        }
        Set<String> exclude = new HashSet<>(request.recentTurns());
        exclude.add(request.message());
        MemoryQuery query = MemoryQuery.of(
                request.user(),
                Optional.of(request.personality().value()),
                request.message().isBlank() ? "." : cap(request.message()),
                settings.maxRecalled());
        List<RecalledItem> memories = new ArrayList<>();
        int left = tokenBudget;
        for (Remembered r : retrieval.search(
                query, embedder.embedIfReady(request.message()), clock.instant(), exclude, zoneOf(request.user()))) {
            int cost = TokenEstimate.of(r.text());
            if (r.score() >= settings.minRecallScore() && related(r) && cost <= left) {
                memories.add(new RecalledItem(r.id(), r.kind(), r.category(), r.text(), r.score(), r.components()));
                left -= cost;
            }
        }
        return memories;
    }

    /**
     * Whether a search result is worth a place in the prompt: it shares a word with the message, or its
     * vector is close enough, or it is a profile-grade fact (diet, home, health, work…: importance at
     * least {@value #PROFILE_IMPORTANCE}) that colours any answer.
     */
    private boolean related(Remembered r) {
        return r.components().getOrDefault("bm25", 0.0) > 0
                || r.components().getOrDefault("similarity", -1.0) >= settings.minRecallSimilarity()
                || (r.kind().equals("fact") && r.components().getOrDefault("importance", 0.0) >= PROFILE_IMPORTANCE);
    }

    private static final double PROFILE_IMPORTANCE = 0.7;

    private void recordRetrieval(List<RecalledItem> items) {
        if (items.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        database.inTransaction(() -> recordRetrieval(items, now));
    }

    private void recordRetrieval(List<RecalledItem> items, Instant now) {
        facts.recordRetrieval(
                items.stream()
                        .filter(i -> i.kind().equals("fact"))
                        .map(RecalledItem::id)
                        .toList(),
                now);
        episodes.recordRetrieval(
                items.stream()
                        .filter(i -> i.kind().equals("episode"))
                        .map(RecalledItem::id)
                        .toList(),
                now);
    }

    // ---- After a turn -----------------------------------------------------------------------

    @Override
    public void afterTurn(CompletedTurn turn) {
        if (!validUser(turn.user())) {
            LOG.warn("not remembering a turn of an invalid user id '{}'", InvalidInputException.cap(turn.user()));
            return;
        }
        // Someone else in the user's conversation (a group chat's speaker): what they say of themselves is
        // about them, in the user's memory, and the episode says who said it.
        Optional<dev.nexus.host.conversation.Speaker> speaker = turn.speaker();
        List<ExtractedFact> found = extract(turn).stream()
                .map(f -> speaker.map(s -> Speakers.attribute(f, s.name())).orElse(f))
                .toList();
        String personality = turn.personality().value();
        List<String> participants = speaker.isPresent()
                ? List.of(turn.user(), speaker.get().id().orElse(speaker.get().name()), personality)
                : List.of(turn.user(), personality);
        String text = speaker.map(s -> Speakers.said(s.name(), turn.userText())).orElse(turn.userText());
        Optional<float[]> vector = writer.embed(text);
        Episode said = new Episode(
                turn.userMessageId().isBlank() ? Ids.newId(clock) : turn.userMessageId(),
                turn.user(),
                personality,
                turn.conversation(),
                turn.platform(),
                participants,
                "user",
                text,
                Importance.ofMessage(turn.userText(), found.size()),
                0,
                turn.at(),
                speaker.map(dev.nexus.host.conversation.Speaker::name));
        Episode replied = new Episode(
                turn.replyId().isBlank() ? Ids.newId(clock) : turn.replyId(),
                turn.user(),
                personality,
                turn.conversation(),
                turn.platform(),
                participants,
                "personality",
                turn.replyText(),
                Importance.ofMessage(turn.replyText(), 0) / 2,
                0,
                turn.at(),
                Optional.empty());
        double sentiment = Sentiment.of(turn.userText());
        Runnable store = () -> { // one commit for both sides of the turn and the relationship's counter
            episodes.insert(
                    said, vector.map(Vectors::toBytes).orElse(null), vector.isPresent() ? embedder.name() : null);
            episodes.insert(replied, null, null);
            if (speaker.isEmpty()) {
                // How the user and the personality get on: another person's turn in the user's group chat
                // neither counts as the user's nor colours it with that person's mood.
                people.recordInteraction(turn.user(), personality, sentiment, turn.at());
            }
        };
        try {
            database.inTransaction(store);
        } catch (RuntimeException e) {
            if (!Database.isUniqueViolation(e)) {
                throw e;
            }
            // Two first turns of a user with a personality at once both inserted the relationship's row; the
            // other one won, so this time the counter's update finds it (a duplicate episode fails again).
            database.inTransaction(store);
        }
        index.put(
                said.id(),
                new MemoryIndex.Meta(said.user(), false, personality, Optional.empty(), said.at()),
                said.text(),
                vector);
        ZoneId zone = found.stream().anyMatch(f -> f.when().isPresent()) ? zoneOf(turn.user()) : ZoneOffset.UTC;
        List<Fact> known =
                found.stream().anyMatch(f -> f.about().isPresent()) ? facts.aboutPeople(turn.user(), 200) : List.of();
        for (ExtractedFact extracted : found) {
            Instant occurred = turn.at();
            ExtractedFact fact = attach(extracted, known);
            if (fact.when().isPresent()) {
                // "yesterday" is the user's yesterday: the day is read in their time zone, and the fact says it.
                Optional<java.time.LocalDate> day = TimeExpressions.eventDay(
                        fact.when().get(), turn.at().atZone(zone).toLocalDate());
                if (day.isPresent()) {
                    occurred = day.get().atStartOfDay(zone).toInstant();
                    fact = new ExtractedFact(
                            fact.text() + " on " + day.get(),
                            fact.category(),
                            fact.confidence(),
                            fact.slot(),
                            fact.when(),
                            fact.about());
                }
            }
            if (fact.text().length() <= settings.maxFactChars()) {
                writer.write(
                        turn.user(),
                        "",
                        fact,
                        FactSource.CONVERSATION,
                        new FactWriter.Stating(
                                Optional.of(occurred), Optional.of(said.id()), Optional.empty(), Map.of(), false));
            }
        }
    }

    /**
     * Attaches a fact about "my sister" to the sister the user has named before ("my sister Ana is a
     * nurse", then "my sister got engaged"): the latest fact that gives that relation a name lends it,
     * and the fact's own slot ({@code person:sister:job}) becomes that person's ({@code person:ana:job}).
     */
    private static ExtractedFact attach(ExtractedFact fact, List<Fact> known) {
        if (fact.about().isEmpty() || !fact.about().get().name().isEmpty()) {
            return fact;
        }
        String relation = fact.about().get().relation();
        Optional<Person> named = known.stream()
                .flatMap(f -> f.about().stream())
                .filter(p -> p.relation().equals(relation) && !p.name().isEmpty())
                .findFirst();
        if (named.isEmpty()) {
            return fact;
        }
        Person person = named.get();
        Optional<String> slot =
                fact.slot().map(s -> s.replace("person:" + relation + ":", "person:" + person.key() + ":"));
        return new ExtractedFact(
                fact.text(), fact.category(), fact.confidence(), slot, fact.when(), Optional.of(person));
    }

    /**
     * The user's relationship graph: the people their facts are about, each with its relation, name
     * and current facts (newest first), people with the newest facts first.
     */
    public List<PersonFacts> people(String user) {
        checkUser(user);
        Map<String, List<Fact>> byPerson = new LinkedHashMap<>();
        Map<String, Person> who = new LinkedHashMap<>();
        for (Fact fact : facts.aboutPeople(user, 1000)) {
            Person person = fact.about().orElseThrow();
            String key = person.key();
            byPerson.computeIfAbsent(key, k -> new ArrayList<>()).add(fact);
            Person seen = who.get(key);
            who.put(
                    key,
                    seen == null
                            ? person
                            : new Person(
                                    seen.relation().isEmpty() ? person.relation() : seen.relation(),
                                    seen.name().isEmpty() ? person.name() : seen.name()));
        }
        return byPerson.entrySet().stream()
                .map(e -> new PersonFacts(who.get(e.getKey()), e.getValue()))
                .toList();
    }

    /**
     * One person in the user's relationship graph. Immutable.
     *
     * @param person their relation and name
     * @param facts the current facts about them, newest first
     */
    public record PersonFacts(Person person, List<Fact> facts) {
        /** Copies the facts. */
        public PersonFacts {
            facts = List.copyOf(facts);
        }
    }

    private List<ExtractedFact> extract(CompletedTurn turn) {
        if (model.isPresent()) {
            try {
                return model.get().extract(turn.userText(), turn.replyText());
            } catch (RuntimeException e) {
                LOG.warn("model fact extraction failed ({}); using the rules for this turn", e.toString());
            }
        }
        return FactExtractor.rules().extract(turn.userText(), turn.replyText());
    }

    // ---- Profile ----------------------------------------------------------------------------

    /** Returns the profile of {@code user} (empty name and attributes when never set). */
    public Profile profile(String user) {
        checkUser(user);
        Optional<PeopleRepository.ProfileRow> row = people.profile(user);
        List<Fact> top = facts.mostImportant(user, 20).stream()
                .sorted(Comparator.comparingDouble(Fact::importance)
                        .reversed()
                        .thenComparing(Fact::updatedAt, Comparator.reverseOrder()))
                .toList();
        return new Profile(
                user,
                row.map(PeopleRepository.ProfileRow::displayName).orElse(""),
                row.map(PeopleRepository.ProfileRow::attributes).orElse(Map.of()),
                row.map(PeopleRepository.ProfileRow::updatedAt),
                top,
                people.relationships(user));
    }

    /** Replaces the display name and attributes of {@code user}. */
    public Profile updateProfile(String user, Profile.Update update) {
        checkUser(user);
        people.saveProfile(user, update, clock.instant());
        return profile(user);
    }

    // ---- A person's data ----------------------------------------------------------------------

    /**
     * Warns when the vector index takes more than half of the maximum heap: {@code ./nexus run}
     * bounds the heap (docs/operations.md, "Memory and start-up"), and every stored memory keeps a
     * 384-float vector on it.
     */
    private static void warnIfTheHeapIsTight(int vectors) {
        long indexBytes = (long) vectors * BYTES_PER_VECTOR;
        long maxHeap = Runtime.getRuntime().maxMemory();
        if (maxHeap != Long.MAX_VALUE && indexBytes > maxHeap / 2) {
            LOG.warn(
                    "the memory index ({} vectors, about {} MB) takes more than half of the {} MB heap; raise the heap, "
                            + "e.g. NEXUS_JAVA_OPTS=\"-XX:+UseSerialGC -Xmx{}m\" (docs/operations.md)",
                    vectors,
                    indexBytes >> 20,
                    maxHeap >> 20,
                    Math.max(512, (indexBytes * 3) >> 20));
        }
    }

    /** A stored vector on the heap: 384 floats and the object around them. */
    private static final int BYTES_PER_VECTOR = 384 * Float.BYTES + 64;

    /** Returns everything memory holds about {@code user}: facts, episodes, profile and relationships. */
    public Map<String, Object> exportUser(String user) {
        checkUser(user);
        Map<String, Object> exported = new LinkedHashMap<>();
        exported.put("facts", facts.list(user, Optional.empty(), Optional.empty(), Integer.MAX_VALUE, 0, true));
        exported.put("episodes", episodes.oldest(user, Integer.MAX_VALUE));
        Optional<PeopleRepository.ProfileRow> row = people.profile(user);
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put(
                "displayName", row.map(PeopleRepository.ProfileRow::displayName).orElse(""));
        profile.put(
                "attributes", row.map(PeopleRepository.ProfileRow::attributes).orElse(Map.of()));
        row.ifPresent(r -> profile.put("updatedAt", r.updatedAt()));
        exported.put("profile", profile);
        exported.put("relationships", people.relationships(user));
        return exported;
    }

    /**
     * Erases everything memory holds about {@code user}: facts and episodes (rows and vector index
     * entries), profile and relationships. Returns how many of each were erased.
     */
    public Map<String, Integer> eraseUser(String user) {
        checkUser(user);
        List<String> factIds = facts.deleteUser(user);
        factIds.forEach(index::remove);
        List<String> episodeIds = episodes.deleteUser(user);
        episodeIds.forEach(index::remove);
        int people = this.people.deleteUser(user);
        Map<String, Integer> erased = new LinkedHashMap<>();
        erased.put("facts", factIds.size());
        erased.put("episodes", episodeIds.size());
        erased.put("profileAndRelationships", people);
        return erased;
    }

    /** Returns how many vector index entries {@code user} has (0 after an erasure; for tests). */
    int indexedFor(String user) {
        return index.entriesOf(user);
    }

    // ---- Consolidation and stats ------------------------------------------------------------

    /** Runs consolidation now (it also runs on its schedule). */
    public ConsolidationReport consolidate() {
        return consolidation.run();
    }

    /** Returns index and cache figures for {@code GET /v1/memory/stats}. */
    public Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("indexLoaded", index.loaded());
        stats.put("indexedVectors", index.size());
        stats.put("indexedUsers", index.users());
        stats.put("embeddingModel", embedder.name());
        stats.put("embeddingModelReady", embedder.ready());
        if (embedder instanceof CachedEmbedder cached) {
            stats.put("embeddingCache", cached.stats());
        }
        return stats;
    }

    @Override
    public void close() {
        var task = consolidating;
        if (task != null) {
            task.cancel(false);
        }
    }

    // ---- Helpers ----------------------------------------------------------------------------

    private static String cap(String text) {
        return text.length() > 2000 ? text.substring(0, 2000) : text;
    }

    private static boolean validUser(String user) {
        return user != null && !user.isBlank() && USER.matcher(user).matches();
    }

    /** Validates a user id: 1–200 characters, no control characters. */
    static void checkUser(String user) {
        if (!validUser(user)) {
            throw new InvalidInputException("user must be 1-200 characters without control characters, got '"
                    + InvalidInputException.cap(user) + "'");
        }
    }
}
