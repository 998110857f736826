package dev.nexus.host.knowledge;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.nexus.api.knowledge.KnowledgePack;
import dev.nexus.api.knowledge.KnowledgePackProvider;
import dev.nexus.api.knowledge.LoreEntry;
import dev.nexus.host.ConflictException;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.conversation.RecallRequest;
import dev.nexus.host.conversation.RecalledItem;
import dev.nexus.host.conversation.TurnRecall;
import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.llm.CacheStats;
import dev.nexus.host.llm.Embedder;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.PersonalityLookup;
import dev.nexus.host.persona.PersonalityVersion;
import dev.nexus.host.plugins.Contribution;
import dev.nexus.host.plugins.PluginFailedException;
import dev.nexus.host.plugins.PluginRuntime;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The knowledge feature's front door: a registry of packs from plugins, from files in the knowledge
 * directory and imported over the API (native packs and lorebooks), manual activation per
 * personality, and the activation of packs, lore entries and pack facts for a turn within a token
 * budget (rules in {@link Activator}).
 *
 * <p>Thread-safe. The registry is rebuilt by {@link #reload()} (at start and after an import); manual
 * activations are read through a small cache that expires after 30 seconds, so other instances
 * sharing the database see a change within that time.
 */
public final class KnowledgeService implements TurnRecall.Source {

    private static final Logger LOG = LoggerFactory.getLogger(KnowledgeService.class);
    static final String ALWAYS = "always";
    static final String NEVER = "never";
    /** The most fired and the most skipped World Info entries a reply's metadata lists. */
    static final int MAX_NOTED = 100;

    /**
     * A pack contributed by a plugin.
     *
     * @param pluginId the plugin's id
     * @param pack the pack
     */
    public record ProvidedPack(String pluginId, KnowledgePack pack) {}

    /**
     * A pack as listed by {@code GET /v1/knowledge/packs}.
     *
     * @param id pack id
     * @param name name
     * @param version version
     * @param category category
     * @param origin plugin, file or imported
     * @param source plugin id, file name or "api"
     * @param topics topic keywords
     * @param facts number of facts
     * @param entries number of lore entries
     * @param overrides origins of packs with the same id that this one hides
     */
    public record PackSummary(
            String id,
            String name,
            String version,
            String category,
            String origin,
            String source,
            List<String> topics,
            int facts,
            int entries,
            List<String> overrides) {}

    /**
     * One pack in full, as {@code GET /v1/knowledge/packs/{id}} shows it.
     *
     * @param summary the listing fields
     * @param document the pack in the file format
     * @param activations personality id to {@code always} or {@code never}
     */
    public record PackView(PackSummary summary, Object document, Map<String, String> activations) {}

    private final KnowledgeSettings settings;
    private final Path directory;
    private final Supplier<List<ProvidedPack>> plugins;
    private final KnowledgeRepository repository;
    private final Embedder embedder;
    private final Clock clock;
    private final Activator activator;
    private final LoadingCache<String, Map<String, String>> activations;
    private final PersonalityLookup personalities;
    private final com.github.benmanes.caffeine.cache.Cache<String, Optional<CompiledPack>> personalityLore;
    private volatile Registry registry = new Registry(Map.of(), Map.of(), List.of());

    private record Registry(
            Map<String, CompiledPack> packs, Map<String, List<String>> overrides, List<String> problems) {}

    /**
     * Creates the service; call {@link #reload()} to load packs.
     *
     * @param settings the knowledge section
     * @param directory the knowledge directory for pack files
     * @param plugins returns the packs of started {@code KnowledgePackProvider} plugins
     * @param database where imported packs and activations live
     * @param embedder for packs without keys and for ranking pack facts (used only when ready)
     * @param clock for timestamps
     */
    public KnowledgeService(
            KnowledgeSettings settings,
            Path directory,
            Supplier<List<ProvidedPack>> plugins,
            Database database,
            Embedder embedder,
            Clock clock) {
        this(settings, directory, plugins, database, embedder, personality -> Optional.empty(), clock);
    }

    /**
     * Creates the service with access to personalities, so that a personality's own lore entries (a
     * card's {@code character_book}) activate in its turns like a pack that is always active for it.
     */
    public KnowledgeService(
            KnowledgeSettings settings,
            Path directory,
            Supplier<List<ProvidedPack>> plugins,
            Database database,
            Embedder embedder,
            PersonalityLookup personalities,
            Clock clock) {
        this.settings = settings;
        this.personalities = personalities;
        this.personalityLore =
                Caffeine.newBuilder().maximumSize(1_000).recordStats().build();
        this.directory = directory;
        this.plugins = plugins;
        this.repository = new KnowledgeRepository(database);
        this.embedder = embedder;
        this.clock = clock;
        this.activator = new Activator(settings);
        this.activations = Caffeine.newBuilder()
                .maximumSize(10_000)
                .expireAfterWrite(Duration.ofSeconds(30))
                .recordStats()
                .build(repository::activations);
    }

    /**
     * Returns the packs of every started {@code KnowledgePackProvider} plugin, asking each through the
     * runtime's failure isolation (a provider that throws is marked failed and contributes nothing).
     */
    public static Supplier<List<ProvidedPack>> fromPlugins(PluginRuntime plugins) {
        return () -> {
            List<ProvidedPack> packs = new ArrayList<>();
            for (Contribution<KnowledgePackProvider> c : plugins.extensions(KnowledgePackProvider.class)) {
                try {
                    plugins.call(c, "packs", KnowledgePackProvider::packs)
                            .forEach(pack -> packs.add(new ProvidedPack(c.pluginId(), pack)));
                } catch (PluginFailedException e) {
                    LOG.warn("knowledge: plugin {} failed to list its packs; it contributes none", c.pluginId());
                }
            }
            return packs;
        };
    }

    /** Rebuilds the registry from plugins, files and the database; returns the problems found. */
    public synchronized List<String> reload() {
        Map<String, CompiledPack> packs = new LinkedHashMap<>();
        Map<String, List<String>> overrides = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        List<ProvidedPack> provided;
        try {
            provided = plugins.get();
        } catch (RuntimeException e) {
            provided = List.of();
            problems.add("plugin packs: " + e.getMessage());
        }
        for (ProvidedPack p : provided) {
            add(packs, overrides, problems, p.pack(), PackOrigin.PLUGIN, p.pluginId());
        }
        for (PackFiles.Loaded loaded : PackFiles.load(directory)) {
            if (loaded.pack() == null) {
                problems.add(loaded.file().getFileName() + ": " + loaded.problem());
            } else {
                add(
                        packs,
                        overrides,
                        problems,
                        loaded.pack(),
                        PackOrigin.FILE,
                        loaded.file().getFileName().toString(),
                        loaded.book());
            }
        }
        for (KnowledgeRepository.StoredPack stored : repository.packs()) {
            try {
                PackDocument document = Json.read(stored.document(), PackDocument.class);
                add(
                        packs,
                        overrides,
                        problems,
                        document.toPack(false),
                        PackOrigin.IMPORTED,
                        stored.source(),
                        document.bookSettings());
            } catch (InvalidInputException e) {
                problems.add("stored pack " + stored.id() + ": " + e.getMessage());
            }
        }
        problems.forEach(p -> LOG.warn("knowledge: {}", p));
        registry = new Registry(Map.copyOf(packs), Map.copyOf(overrides), List.copyOf(problems));
        return registry.problems();
    }

    private static void add(
            Map<String, CompiledPack> packs,
            Map<String, List<String>> overrides,
            List<String> problems,
            KnowledgePack pack,
            PackOrigin origin,
            String source) {
        add(packs, overrides, problems, pack, origin, source, Map.of());
    }

    private static void add(
            Map<String, CompiledPack> packs,
            Map<String, List<String>> overrides,
            List<String> problems,
            KnowledgePack pack,
            PackOrigin origin,
            String source,
            Map<String, Object> book) {
        CompiledPack compiled;
        try {
            compiled = CompiledPack.of(pack, origin, source, book);
        } catch (InvalidInputException e) {
            problems.add(origin.name().toLowerCase(Locale.ROOT) + " " + source + ": " + e.getMessage());
            return;
        }
        compiled.problems().forEach(problem -> problems.add("pack '" + pack.id() + "' " + problem));
        CompiledPack previous = packs.put(pack.id(), compiled);
        if (previous != null) {
            String hidden = previous.origin().name().toLowerCase(Locale.ROOT) + ":" + previous.source();
            overrides.computeIfAbsent(pack.id(), id -> new ArrayList<>()).add(hidden);
            problems.add("pack '" + pack.id() + "' from " + origin.name().toLowerCase(Locale.ROOT) + " " + source
                    + " overrides the one from " + hidden);
        }
    }

    /** Returns the problems of the last {@link #reload()} (bad files, clashing ids). */
    public List<String> problems() {
        return registry.problems();
    }

    /** Returns every registered pack, by id. */
    public List<PackSummary> packs() {
        Registry current = registry;
        return current.packs().values().stream()
                .map(p -> summary(p, current))
                .sorted(java.util.Comparator.comparing(PackSummary::id))
                .toList();
    }

    /** Returns one pack in full. */
    public PackView pack(String id) {
        CompiledPack pack = require(id);
        return new PackView(summary(pack, registry), PackDocument.of(pack.pack()), repository.activationsOf(id));
    }

    /**
     * Sets a manual activation of pack {@code id} for {@code personality}: {@code always} (active on
     * every turn) or {@code never} (not even by topic).
     */
    public void activate(String id, String personality, String mode) {
        require(id);
        String normalized =
                mode == null || mode.isBlank() ? ALWAYS : mode.strip().toLowerCase(Locale.ROOT);
        if (!normalized.equals(ALWAYS) && !normalized.equals(NEVER)) {
            throw new InvalidInputException(
                    "activation mode must be 'always' or 'never', got '" + InvalidInputException.cap(mode) + "'");
        }
        String who = PersonalityId.of(personality).value();
        repository.setActivation(id, who, normalized, clock.instant());
        activations.invalidate(who);
        changes.run();
    }

    /** Removes any manual activation of pack {@code id} for {@code personality} (back to topic activation). */
    public void deactivate(String id, String personality) {
        require(id);
        String who = PersonalityId.of(personality).value();
        repository.clearActivation(id, who);
        activations.invalidate(who);
        changes.run();
    }

    /**
     * Imports a pack in the file format (JSON or YAML) and stores it; it overrides a file or plugin
     * pack with the same id.
     *
     * @throws InvalidInputException naming what is wrong; nothing is stored then
     */
    public PackSummary importPack(byte[] body, boolean yaml) {
        PackDocument document = PackFiles.document(body, yaml);
        return store(document.toPack(), "api", true, document.bookSettings());
    }

    /**
     * Stores a lorebook (World Info or a card's {@code character_book}, already parsed into entries)
     * as a pack named {@code name}.
     *
     * @throws InvalidInputException for an invalid id, a bad key, or no entries
     */
    public PackSummary importLorebook(String id, String name, List<LoreEntry> entries, String source) {
        try {
            return register(new KnowledgePack(id, name, null, "lorebook", List.of(), List.of(), entries), source);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
    }

    /**
     * Stores {@code pack} as an imported pack (e.g. a lorebook the interchange feature read, or the
     * knowledge strings of an ElizaOS character); it overrides a file or plugin pack with that id.
     *
     * @param source what it came from, shown in listings (e.g. {@code world-info:eldoria.json})
     * @throws InvalidInputException for a pack with no facts and no entries, or a bad key
     */
    public PackSummary register(KnowledgePack pack, String source) {
        return register(pack, source, Map.of());
    }

    /**
     * Stores {@code pack} like {@link #register(KnowledgePack, String)} with the book-level World Info
     * settings of the lorebook it came from ({@code scan_depth}, {@code token_budget},
     * {@code recursive_scanning}; other fields are kept too).
     */
    public PackSummary register(KnowledgePack pack, String source, Map<String, Object> book) {
        if (pack.entries().isEmpty() && pack.facts().isEmpty()) {
            throw new InvalidInputException("lorebook or pack '" + InvalidInputException.cap(pack.name())
                    + "' has no entries and no facts; nothing to import");
        }
        return store(pack, source, false, book);
    }

    private PackSummary store(KnowledgePack pack, String source, boolean strictKeys, Map<String, Object> book) {
        PackDocument document = PackDocument.of(pack, book);
        KnowledgePack checked = document.toPack(strictKeys);
        CompiledPack.of(checked, PackOrigin.IMPORTED, source);
        repository.savePack(pack.id(), pack.name(), Json.write(document), source, clock.instant());
        reload();
        changes.run();
        return summary(require(pack.id()), registry);
    }

    private volatile Runnable changes = () -> {};

    /** Tells {@code listener} whenever this host stored or deleted a pack or changed an activation. */
    public void onChange(Runnable listener) {
        this.changes = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** Re-reads packs, lore and activations from the database, after another host changed them. */
    public void changedElsewhere() {
        activations.invalidateAll();
        personalityLore.invalidateAll();
        reload();
    }

    /** Deletes an imported pack; plugin and file packs cannot be deleted over the API. */
    public void deleteImported(String id) {
        CompiledPack pack = require(id);
        if (pack.origin() != PackOrigin.IMPORTED) {
            throw new ConflictException(
                    "pack '" + id + "' comes from " + pack.origin().name().toLowerCase(Locale.ROOT) + " "
                            + pack.source() + "; remove it there, only imported packs can be deleted over the API");
        }
        repository.deletePack(id);
        activations.invalidateAll();
        reload();
        changes.run();
    }

    /**
     * Returns the knowledge a turn activates, within {@code tokenBudget} tokens, in insertion order:
     * the knowledge side of the conversation's {@link TurnRecall}.
     */
    @Override
    public List<RecalledItem> recall(RecallRequest request, int tokenBudget) {
        return recallNoted(request, tokenBudget).items();
    }

    /**
     * Returns the knowledge a turn activates with notes on how World Info decided (the seed, each fired
     * entry and why, each candidate that did not fire and why), and stores the conversation's timed
     * effects (sticky, cooldown). A failure to store them is logged; the turn keeps its knowledge.
     */
    @Override
    public TurnRecall.Noted recallNoted(RecallRequest request, int tokenBudget) {
        Activator.Activation activation = recall(request, embedder.embedIfReady(request.message()), tokenBudget);
        WorldInfo.Result lore = activation.lore();
        if (lore.fired().isEmpty() && lore.skipped().isEmpty()) {
            return new TurnRecall.Noted(activation.items(), Map.of());
        }
        return new TurnRecall.Noted(activation.items(), Map.of("worldInfo", notes(request, lore)));
    }

    private Map<String, Object> notes(RecallRequest request, WorldInfo.Result lore) {
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("seed", Long.toString(seed(request)));
        notes.put("kind", request.kind());
        notes.put("chatLength", request.chatLength());
        notes.put("steps", lore.steps());
        notes.put(
                "fired",
                lore.fired().stream()
                        .limit(MAX_NOTED)
                        .map(f -> {
                            Map<String, Object> one = new LinkedHashMap<>();
                            one.put("id", f.key());
                            one.put("reason", f.reason().label());
                            one.put("detail", f.detail());
                            one.put("step", f.step());
                            one.put("tokens", f.tokens());
                            if (f.truncated()) {
                                one.put("truncated", true);
                            }
                            return one;
                        })
                        .toList());
        notes.put(
                "skipped",
                lore.skipped().stream()
                        .limit(MAX_NOTED)
                        .map(s -> Map.of(
                                "id",
                                s.book() + "/" + s.entry(),
                                "reason",
                                s.reason().label(),
                                "detail",
                                s.detail()))
                        .toList());
        int more = Math.max(0, lore.fired().size() - MAX_NOTED)
                + Math.max(0, lore.skipped().size() - MAX_NOTED);
        if (more > 0) {
            notes.put("notListed", more); // a huge book keeps the reply's metadata bounded
        }
        return notes;
    }

    /**
     * The seed of a turn's World Info draws: the same conversation, chat position, generation type and
     * attempt give the same draws (a turn can be replayed), a regeneration draws anew.
     */
    long seed(RecallRequest request) {
        String basis = (settings.worldInfoSeed() == null ? request.conversation() : "fixed:" + settings.worldInfoSeed())
                + "\n" + request.chatLength() + "\n" + request.kind() + "\n" + request.attempt();
        return java.util
                .UUID
                .nameUUIDFromBytes(basis.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .getMostSignificantBits();
    }

    /**
     * Returns what a turn activates, within {@code budget} tokens, in insertion order.
     *
     * @param request the turn
     * @param message the new message's embedding, when available
     * @param budget tokens knowledge may use
     */
    Activator.Activation recall(RecallRequest request, Optional<float[]> message, int budget) {
        Registry current = registry;
        Optional<PersonalityVersion> version = personalities.current(request.personality());
        Optional<CompiledPack> ownLore = version.flatMap(this::lore);
        WorldInfo.Result none = new WorldInfo.Result(List.of(), List.of(), Map.of(), 0);
        if ((current.packs().isEmpty() && ownLore.isEmpty()) || budget <= 0) {
            return new Activator.Activation(List.of(), none);
        }
        Map<String, String> manual = activations.get(request.personality().value());
        Set<String> always = new HashSet<>();
        Set<String> never = new HashSet<>();
        manual.forEach((pack, mode) -> (mode.equals(NEVER) ? never : always).add(pack));
        List<String> scanned = new ArrayList<>();
        scanned.add(request.message());
        List<String> older = request.history().isEmpty() ? request.recentTurns() : request.history();
        for (int i = older.size() - 1; i >= 0; i--) {
            scanned.add(older.get(i));
        }
        List<CompiledPack> packs = new ArrayList<>(current.packs().values());
        Set<String> referenced = new HashSet<>(request.knowledgePacks());
        ownLore.ifPresent(pack -> {
            packs.removeIf(p -> p.pack().id().equals(pack.pack().id()));
            packs.add(0, pack);
            referenced.add(pack.pack().id());
        });
        boolean hasLore = packs.stream().anyMatch(p -> !p.entries().isEmpty());
        Map<String, WorldInfo.Timed> timed = hasLore ? timedState(request.conversation()) : Map.of();
        Activator.Lore lore = new Activator.Lore(
                version.map(KnowledgeService::sources).orElse(Map.of()),
                request.kind(),
                request.chatLength(),
                request.assistantMessages(),
                seed(request),
                timed);
        Activator.Turn turn =
                new Activator.Turn(scanned, always, never, referenced, message, embedder::embedIfReady, lore);
        Activator.Activation activation = activator.activate(packs, turn, budget);
        // Nothing was timed before this turn and nothing is now: the stored state is already right,
        // so most turns (no sticky, cooldown or delay entry fired) write nothing here.
        if (hasLore && !(timed.isEmpty() && activation.lore().timed().isEmpty())) {
            saveTimed(request, activation.lore().timed());
        }
        return activation;
    }

    private Map<String, WorldInfo.Timed> timedState(String conversation) {
        try {
            return repository.timed(conversation);
        } catch (RuntimeException e) {
            LOG.warn(
                    "knowledge: could not read the World Info timed effects of conversation {}; evaluating without them: {}",
                    conversation,
                    e.toString());
            return Map.of();
        }
    }

    private void saveTimed(RecallRequest request, Map<String, WorldInfo.Timed> now) {
        Map<String, WorldInfo.Timed> storable = new LinkedHashMap<>();
        now.forEach((key, value) -> {
            if (key.length() <= 300) {
                storable.put(key, value);
            }
        });
        try {
            repository.saveTimed(request.conversation(), request.chatLength(), storable, clock.instant());
        } catch (RuntimeException e) {
            LOG.warn(
                    "knowledge: could not store the World Info timed effects of conversation {}: {}",
                    request.conversation(),
                    e.toString());
        }
    }

    /** The character texts World Info entries may scan besides the chat (SillyTavern's additional matching sources). */
    private static Map<String, String> sources(PersonalityVersion version) {
        var p = version.personality();
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("description", p.description());
        sources.put("personality", p.summary());
        sources.put("scenario", p.scenario());
        sources.put("creator_notes", p.creatorNotes());
        if (p.extensions().get("depth_prompt") instanceof Map<?, ?> depth
                && depth.get("prompt") instanceof String prompt) {
            sources.put("depth_prompt", prompt);
        }
        return sources;
    }

    /**
     * Returns the personality's own lore compiled as a pack whose id is the personality's id (cached
     * per personality version), with the book settings its card import kept; empty when it has none or
     * it cannot be compiled.
     */
    private Optional<CompiledPack> lore(PersonalityVersion version) {
        PersonalityId id = version.personality().id();
        if (version.personality().lore().isEmpty()) {
            return Optional.empty();
        }
        return personalityLore.get(id.value() + "@" + version.version(), key -> {
            try {
                KnowledgePack pack = new KnowledgePack(
                        id.value(),
                        version.personality().name() + " (own lore)",
                        null,
                        "lore",
                        List.of(),
                        List.of(),
                        version.personality().lore().stream()
                                .map(entry -> withCharName(
                                        entry, version.personality().name()))
                                .toList());
                CompiledPack compiled = CompiledPack.of(
                        pack,
                        PackOrigin.IMPORTED,
                        "personality " + id.value(),
                        book(version.personality().extensions()));
                compiled.problems()
                        .forEach(problem -> LOG.debug(
                                "knowledge: the lore of personality {} version {}: {}",
                                id,
                                version.version(),
                                problem));
                return Optional.of(compiled);
            } catch (RuntimeException e) {
                LOG.warn(
                        "knowledge: the lore of personality {} version {} is not usable: {}",
                        id,
                        version.version(),
                        e.getMessage());
                return Optional.empty();
            }
        });
    }

    private static final java.util.regex.Pattern CHAR_MACRO =
            java.util.regex.Pattern.compile("\\{\\{char}}|<bot>", java.util.regex.Pattern.CASE_INSENSITIVE);

    /** Expands {@code {{char}}} (and {@code <BOT>}) in an entry's keys to the personality's name, as SillyTavern does. */
    private static LoreEntry withCharName(LoreEntry e, String name) {
        java.util.function.UnaryOperator<String> expand = key ->
                key == null ? null : CHAR_MACRO.matcher(key).replaceAll(java.util.regex.Matcher.quoteReplacement(name));
        List<String> keys = e.keys().stream().map(expand).toList();
        List<String> secondary = e.secondaryKeys().stream().map(expand).toList();
        if (keys.equals(e.keys()) && secondary.equals(e.secondaryKeys())) {
            return e;
        }
        // The id is taken from the keys as written, so an id-less entry keeps its id when the personality is renamed.
        return new LoreEntry(
                e.id().isBlank() ? CompiledPack.defaultId(e) : e.id(),
                e.name(),
                keys,
                secondary,
                e.selective(),
                e.logic(),
                e.content(),
                e.constant(),
                e.enabled(),
                e.insertionOrder(),
                e.priority(),
                e.caseSensitive(),
                e.wholeWords(),
                e.useRegex(),
                e.position(),
                e.extensions());
    }

    /** The book-level fields a card import kept for the personality's lore ({@code nexus/card} → {@code book}). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> book(Map<String, Object> extensions) {
        if (extensions.get("nexus/card") instanceof Map<?, ?> card && card.get("book") instanceof Map<?, ?> book) {
            return (Map<String, Object>) book;
        }
        return Map.of();
    }

    /** Returns the share of a turn's recall budget knowledge may take first. */
    public double budgetShare() {
        return settings.budgetShare();
    }

    /** Returns the cache figures shown with memory's in {@code GET /v1/memory/stats}. */
    public Map<String, Object> cacheStats() {
        return Map.of("knowledgeActivationCache", activationCacheStats(), "personalityLoreCache", loreCacheStats());
    }

    /** Returns the hit figures of the activation cache. */
    public CacheStats activationCacheStats() {
        var stats = activations.stats();
        return new CacheStats(stats.hitCount(), stats.missCount(), stats.hitRate(), activations.estimatedSize());
    }

    /** Returns the hit figures of the cache of compiled personality lore. */
    public CacheStats loreCacheStats() {
        var stats = personalityLore.stats();
        return new CacheStats(stats.hitCount(), stats.missCount(), stats.hitRate(), personalityLore.estimatedSize());
    }

    private CompiledPack require(String id) {
        CompiledPack pack = registry.packs().get(id);
        if (pack == null) {
            throw new NotFoundException("no knowledge pack '" + InvalidInputException.cap(id)
                    + "'; GET /v1/knowledge/packs lists the known packs");
        }
        return pack;
    }

    private static PackSummary summary(CompiledPack p, Registry registry) {
        KnowledgePack pack = p.pack();
        return new PackSummary(
                pack.id(),
                pack.name(),
                pack.version(),
                pack.category(),
                p.origin().name().toLowerCase(Locale.ROOT),
                p.source(),
                pack.topics(),
                pack.facts().size(),
                pack.entries().size(),
                registry.overrides().getOrDefault(pack.id(), List.of()));
    }
}
