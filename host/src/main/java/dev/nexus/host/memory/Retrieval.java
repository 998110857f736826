package dev.nexus.host.memory;

import dev.nexus.host.vector.Hit;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds and ranks memories (hybrid retrieval): candidates from the full-text index (BM25) and from
 * the vector index, both always asked, fused ({@link Ranking}: a calibrated blend by default) with
 * bounded recency and importance boosts. The names of relations a question uses ("my sister") are
 * added to its full-text query, and a question about the user's home or job raises the statement
 * filling that slot ({@link Mentions}). Until the indexes are loaded, keyword matches from the
 * database stand in.
 * Thread-safe.
 */
final class Retrieval {

    private static final int KEYWORD_TERMS = 3;
    private static final int KEYWORD_ROWS = 40;
    /**
     * How many memories holding a relation word ("sister") are read to learn its name (short small talk
     * such as "my sister called" ranks first in full text, so 50 were too few on the benchmark).
     */
    private static final int RELATION_ROWS = 200;
    /** How many memories holding a slot's words are added as candidates when a question asks about that slot. */
    private static final int SLOT_ROWS = 50;

    private final MemorySettings settings;
    private final FactRepository facts;
    private final EpisodeRepository episodes;
    private final MemoryIndex index;
    private final Ranking ranking;
    private final java.util.function.Function<String, Optional<float[]>> embed;

    Retrieval(MemorySettings settings, FactRepository facts, EpisodeRepository episodes, MemoryIndex index) {
        this(settings, facts, episodes, index, text -> Optional.empty());
    }

    /**
     * @param embed embeds a question whose "my sister" was resolved to her name, for the vector search;
     *     empty when the model is not ready
     */
    Retrieval(
            MemorySettings settings,
            FactRepository facts,
            EpisodeRepository episodes,
            MemoryIndex index,
            java.util.function.Function<String, Optional<float[]>> embed) {
        this.settings = settings;
        this.facts = facts;
        this.episodes = episodes;
        this.index = index;
        this.ranking = new Ranking(settings);
        this.embed = embed;
    }

    /** Where a candidate stood in each list (0 = not in it). */
    private static final class Candidate {
        int denseRank;
        double similarity = Double.NaN;
        int lexicalRank;
        double bm25;
    }

    /**
     * Returns the best {@code query.limit()} memories, best first, leaving out texts in {@code exclude}.
     * A query that names a time ("in May 2023", "last May", "two weeks ago", resolved in {@code zone})
     * and sets no explicit range is answered from that range first, then from any time.
     */
    List<Remembered> search(
            MemoryQuery query, Optional<float[]> vector, Instant now, Set<String> exclude, ZoneId zone) {
        if (query.since().isEmpty() && query.until().isEmpty()) {
            Optional<TimeExpressions.Range> range = TimeExpressions.resolve(query.text(), now, zone);
            if (range.isPresent()) {
                MemoryQuery dated = new MemoryQuery(
                        query.user(),
                        query.personality(),
                        query.text(),
                        query.limit(),
                        query.categories(),
                        Optional.of(range.get().since()),
                        Optional.of(range.get().until()),
                        query.episodes());
                List<Remembered> found = new ArrayList<>(search(dated, vector, now, exclude));
                if (found.size() < query.limit()) {
                    Set<String> have = new java.util.HashSet<>();
                    found.forEach(r -> have.add(r.id()));
                    for (Remembered r : search(query, vector, now, exclude)) {
                        if (found.size() >= query.limit()) {
                            break;
                        }
                        if (have.add(r.id())) {
                            found.add(r);
                        }
                    }
                }
                return found;
            }
        }
        return search(query, vector, now, exclude);
    }

    /** Returns the best {@code query.limit()} memories, best first, leaving out texts in {@code exclude}. */
    List<Remembered> search(MemoryQuery query, Optional<float[]> original, Instant now, Set<String> exclude) {
        // "my sister" in the question is the name the user's memories give her ("Kasper"). The full-text
        // query gets the name; so does the vector search, whose question reads "my sister Kasper":
        // without it, "Who is my sister engaged to?" is nearer "Ingrid from work is engaged" than
        // "Kasper got engaged to Astrid" (cosine 0.57 against 0.40; resolved, 0.53 against 0.69).
        Map<String, String> named = index.loaded() ? relationNames(query) : Map.of();
        Optional<float[]> vector = original.isEmpty() || named.isEmpty()
                ? original
                : embed.apply(Mentions.resolve(query.text(), named)).or(() -> original);
        Map<String, Candidate> candidates = new LinkedHashMap<>();
        Optional<Mentions.SlotQuestion> slotQuestion = Mentions.slotQuestion(query.text());
        Set<String> fillers = new java.util.HashSet<>();
        Set<String> words = Keywords.of(query.text());
        int depth = Math.max(settings.candidates(), query.limit() * 3);
        Map<String, Fact> factRows = new LinkedHashMap<>();
        List<String> episodeIds = new ArrayList<>();
        double best = 0;
        if (index.loaded()) {
            if (vector.isPresent()) {
                int rank = 0;
                for (Hit hit : index.search(query.user(), vector.get(), depth, query::accepts)) {
                    Candidate c = candidates.computeIfAbsent(hit.id(), id -> new Candidate());
                    c.denseRank = ++rank;
                    c.similarity = hit.similarity();
                }
            }
            String lexicalText = query.text();
            for (String name : named.values()) {
                if (!query.text().contains(name)) {
                    lexicalText += " " + name;
                }
            }
            int rank = 0;
            for (LexicalIndex.Scored hit : index.lexical(query.user(), lexicalText, depth, query::accepts)) {
                Candidate c = candidates.computeIfAbsent(hit.id(), id -> new Candidate());
                c.lexicalRank = ++rank;
                c.bm25 = hit.score();
                best = Math.max(best, hit.score());
            }
            if (settings.fusion().equals("calibrated")) {
                best = index.lexicalCeiling(query.user(), lexicalText);
            }
            // A question about the user's home or job also looks at the statements that fill that slot.
            if (slotQuestion.isPresent() && settings.slotBoost() > 0) {
                for (LexicalIndex.Scored hit :
                        index.lexical(query.user(), slotQuestion.get().slot().terms, SLOT_ROWS, query::accepts)) {
                    candidates.computeIfAbsent(hit.id(), id -> new Candidate());
                }
            }
            if (vector.isPresent()) {
                for (Map.Entry<String, Candidate> e : candidates.entrySet()) {
                    if (Double.isNaN(e.getValue().similarity)) {
                        e.getValue().similarity = index.similarity(e.getKey(), vector.get());
                    }
                }
            }
            for (String id : candidates.keySet()) {
                if (index.meta(id).map(MemoryIndex.Meta::fact).orElse(false)) {
                    factRows.put(id, null);
                } else {
                    episodeIds.add(id);
                }
            }
            facts.findAll(factRows.keySet()).forEach(f -> factRows.put(f.id(), f));
        } else {
            // The indexes are still loading: the database's keyword matches, ranked by how many query words they hold.
            words.stream()
                    .sorted(Comparator.comparingInt(String::length).reversed())
                    .limit(KEYWORD_TERMS)
                    .forEach(word -> facts.containing(query.user(), word, KEYWORD_ROWS)
                            .forEach(f -> factRows.putIfAbsent(f.id(), f)));
            facts.mostImportant(query.user(), KEYWORD_ROWS).forEach(f -> factRows.putIfAbsent(f.id(), f));
            List<Fact> byOverlap = factRows.values().stream()
                    .sorted(Comparator.comparingDouble((Fact f) -> Keywords.overlap(words, f.text()))
                            .reversed())
                    .toList();
            int rank = 0;
            for (Fact f : byOverlap) {
                double overlap = Keywords.overlap(words, f.text());
                if (overlap > 0) {
                    Candidate c = candidates.computeIfAbsent(f.id(), id -> new Candidate());
                    c.lexicalRank = ++rank;
                    c.bm25 = overlap;
                    best = 1;
                } else {
                    candidates.computeIfAbsent(f.id(), id -> new Candidate());
                }
            }
        }
        List<Remembered> ranked = new ArrayList<>();
        for (Fact fact : factRows.values()) {
            if (fact == null || !fact.current() || exclude.contains(fact.text()) || !query.accepts(meta(fact))) {
                continue;
            }
            Candidate c = candidates.get(fact.id());
            Ranking.Scored scored = ranking.score(
                    c.denseRank,
                    c.similarity,
                    c.lexicalRank,
                    c.bm25,
                    best,
                    Keywords.overlap(words, fact.text()),
                    fact.occurredAt(),
                    true,
                    fact.importance(),
                    now);
            if (slotQuestion.isPresent() && Mentions.fills(slotQuestion.get().slot(), fact.slot(), fact.text())) {
                fillers.add(fact.id());
            }
            ranked.add(new Remembered(
                    fact.id(),
                    "fact",
                    fact.text(),
                    fact.category().label(),
                    fact.personality().orElse(""),
                    scored.score(),
                    scored.components(),
                    fact.occurredAt(),
                    fact.sourceMessage()));
        }
        for (Episode episode : episodes.findAll(episodeIds)) {
            if (exclude.contains(episode.text())) {
                continue;
            }
            Candidate c = candidates.get(episode.id());
            Ranking.Scored scored = ranking.score(
                    c.denseRank,
                    c.similarity,
                    c.lexicalRank,
                    c.bm25,
                    best,
                    Keywords.overlap(words, episode.text()),
                    episode.at(),
                    false,
                    episode.importance(),
                    now);
            // Someone else's "I moved to Oslo" (a group chat's speaker) is no statement of the user's home.
            if (slotQuestion.isPresent()
                    && episode.speaker().isEmpty()
                    && Mentions.fills(slotQuestion.get().slot(), Optional.empty(), episode.text())) {
                fillers.add(episode.id());
            }
            ranked.add(new Remembered(
                    episode.id(),
                    "episode",
                    episode.text(),
                    "conversation",
                    episode.personality(),
                    scored.score(),
                    scored.components(),
                    episode.at(),
                    Optional.of(episode.id())));
        }
        if (!fillers.isEmpty()) {
            ranked = boostSlot(ranked, fillers, slotQuestion.get().history());
        }
        ranked.sort(Comparator.comparingDouble(Remembered::score).reversed().thenComparing(Remembered::id));
        // The same words said again (small talk, a repeated question) are one memory, not ten results.
        Set<String> seen = new java.util.HashSet<>();
        List<Remembered> distinct = new ArrayList<>();
        for (Remembered r : ranked) {
            if (distinct.size() >= query.limit()) {
                break;
            }
            if (seen.add(FactWriter.normalize(r.text()))) {
                distinct.add(r);
            }
        }
        return distinct;
    }

    /**
     * Raises the statements of the slot a question asks about: the latest one (said within a day of the
     * latest: a fact and the message it came from) when it asks for now, the earlier ones when it asks
     * for the past. By {@code slotBoost} in relevance, scaled like relevance in the score.
     */
    private List<Remembered> boostSlot(List<Remembered> ranked, Set<String> fillers, boolean history) {
        Instant latest = ranked.stream()
                .filter(r -> fillers.contains(r.id()))
                .map(Remembered::at)
                .max(Comparator.naturalOrder())
                .orElseThrow();
        Instant current = latest.minus(java.time.Duration.ofDays(1));
        double boost = settings.slotBoost() / (1 + settings.recencyBoost() + settings.importanceBoost());
        List<Remembered> boosted = new ArrayList<>(ranked.size());
        for (Remembered r : ranked) {
            boolean now = r.at().isAfter(current);
            if (fillers.contains(r.id()) && now != history) {
                Map<String, Double> components = new LinkedHashMap<>(r.components());
                components.put("slot", settings.slotBoost());
                boosted.add(new Remembered(
                        r.id(),
                        r.kind(),
                        r.text(),
                        r.category(),
                        r.personality(),
                        r.score() + boost,
                        components,
                        r.at(),
                        r.sourceMessage()));
            } else {
                boosted.add(r);
            }
        }
        return boosted;
    }

    /**
     * Returns the names the user's memories give the relations the question names ("my sister" →
     * "Ana"), by relation, the latest statement's name when several do. Empty when the question names none.
     */
    private Map<String, String> relationNames(MemoryQuery query) {
        Map<String, String> names = new LinkedHashMap<>();
        for (String relation : Mentions.relations(query.text())) {
            Map<String, Boolean> ids = new LinkedHashMap<>();
            for (String word : Mentions.wordsFor(relation)) {
                for (LexicalIndex.Scored hit : index.lexical(query.user(), word, RELATION_ROWS, m -> true)) {
                    ids.put(
                            hit.id(),
                            index.meta(hit.id()).map(MemoryIndex.Meta::fact).orElse(false));
                }
            }
            List<Map.Entry<Instant, String>> said = new ArrayList<>();
            List<String> factIds = ids.entrySet().stream()
                    .filter(Map.Entry::getValue)
                    .map(Map.Entry::getKey)
                    .toList();
            List<String> episodeIds = ids.entrySet().stream()
                    .filter(e -> !e.getValue())
                    .map(Map.Entry::getKey)
                    .toList();
            facts.findAll(factIds).forEach(f -> said.add(Map.entry(f.occurredAt(), f.text())));
            // Only the user's own words name the user's sister: another speaker's "my sister" is theirs.
            episodes.findAll(episodeIds).stream()
                    .filter(e -> e.speaker().isEmpty())
                    .forEach(e -> said.add(Map.entry(e.at(), e.text())));
            said.sort(Map.Entry.<Instant, String>comparingByKey().reversed());
            for (Map.Entry<Instant, String> s : said) {
                Optional<String> name = Mentions.nameOf(relation, s.getValue());
                if (name.isPresent()) {
                    names.put(relation, name.get());
                    break;
                }
            }
        }
        return names;
    }

    static MemoryIndex.Meta meta(Fact fact) {
        return new MemoryIndex.Meta(
                fact.user(), true, fact.personality().orElse(""), Optional.of(fact.category()), fact.occurredAt());
    }
}
