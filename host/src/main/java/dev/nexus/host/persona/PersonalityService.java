package dev.nexus.host.persona;

import dev.nexus.api.personality.PersonalityBundle;
import dev.nexus.api.personality.PersonalityProvider;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.db.Database;
import dev.nexus.host.plugins.Contribution;
import dev.nexus.host.plugins.PluginFailedException;
import dev.nexus.host.plugins.PluginRuntime;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The personality registry, front door of the feature. It merges three sources into one set of
 * current versions:
 * <ol>
 *   <li>drop-in bundles in the personalities directory ({@code <id>/persona.yaml}, and single card
 *       files through a {@link CardImporter}), polled for changes;</li>
 *   <li>{@code PersonalityProvider} plugins, read once at start;</li>
 *   <li>the HTTP API, stored in the database.</li>
 * </ol>
 * Precedence: a bundle takes an id over a plugin (the plugin's bundle is reported as a conflict); an
 * id created over the API belongs to the API and bundles or plugins offering it are reported, never
 * applied; the API cannot create an id a bundle or plugin holds. An invalid bundle edit keeps the
 * last good version current and lists every problem (see {@link Registered#problems()}); a removed
 * bundle disappears from the registry (its versions stay stored).
 *
 * <p>Every change is a new immutable version; bundle and plugin personalities get one only when
 * their source content changes. {@link #applyTraits} changes traits with compare-and-swap, also for
 * bundle- and plugin-owned personalities: the evolved values stay current until the source file
 * itself changes, whose values then win.
 *
 * <p>Reads ({@link #current}, {@link #list}) come from memory; writes go to the database first and
 * reach memory after commit. Several hosts may share one PostgreSQL: each poll tick also picks up
 * versions other hosts wrote. Thread-safe.
 */
public final class PersonalityService implements PersonalityLookup, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PersonalityService.class);

    private final PersonaCodec codec;
    private final PersonalityStore store;
    private final BundleScanner scanner;
    private final Supplier<List<PluginPersonality>> plugins;
    private final Duration poll;
    private final Map<PersonalityId, PersonalityStore.Current> current = new ConcurrentHashMap<>();
    private volatile Map<PersonalityId, List<BundleProblem>> problemsById = Map.of();
    private volatile List<BundleProblem> problems = List.of();
    private volatile Set<PersonalityId> reserved = Set.of();
    private List<BundleScanner.Candidate> pluginCandidates = List.of();
    private final Map<PersonalityId, Personality> offered = new HashMap<>();
    private Set<String> logged = Set.of();
    private ScheduledExecutorService watcher;
    private volatile java.util.concurrent.@Nullable CompletableFuture<List<PersonalityStore.Current>> prefetched;
    private volatile java.util.function.Consumer<PersonalityId> changes = id -> {};

    /**
     * Creates the registry; nothing is read before {@link #start()}.
     *
     * @param database the database (migrated)
     * @param directory the drop-in personalities directory (it need not exist yet)
     * @param poll how often to check the directory for changes
     * @param clock the clock for version timestamps
     * @param importer converts single card files dropped into the directory
     * @param plugins returns the bundles of {@code PersonalityProvider} plugins (see {@link #fromPlugins})
     */
    public PersonalityService(
            Database database,
            Path directory,
            Duration poll,
            Clock clock,
            CardImporter importer,
            Supplier<List<PluginPersonality>> plugins) {
        this.codec = new PersonaCodec();
        this.store = new PersonalityStore(database, codec, clock);
        this.scanner = new BundleScanner(directory, codec, importer);
        this.plugins = plugins;
        this.poll = poll;
        store.listener(new PersonalityStore.Listener() {
            @Override
            public void stored(PersonalityVersion version, Owner owner) {
                // Commit callbacks of concurrent writers may arrive out of order: keep the newest.
                current.merge(
                        version.id(),
                        new PersonalityStore.Current(version, owner),
                        (known, fresh) ->
                                fresh.version().version() >= known.version().version() ? fresh : known);
                changes.accept(version.id());
            }

            @Override
            public void removed(PersonalityId id) {
                current.remove(id);
                changes.accept(id);
            }
        });
    }

    /**
     * Returns the bundles of every started {@code PersonalityProvider} plugin. A plugin that throws is
     * isolated by the runtime and contributes nothing.
     */
    public static Supplier<List<PluginPersonality>> fromPlugins(PluginRuntime runtime) {
        return () -> {
            List<PluginPersonality> all = new ArrayList<>();
            for (Contribution<PersonalityProvider> provider : runtime.extensions(PersonalityProvider.class)) {
                try {
                    List<PersonalityBundle> bundles =
                            runtime.call(provider, "personalities", PersonalityProvider::personalities);
                    if (bundles != null) {
                        bundles.stream()
                                .filter(java.util.Objects::nonNull)
                                .forEach(bundle -> all.add(new PluginPersonality(provider.pluginId(), bundle)));
                    }
                } catch (PluginFailedException e) {
                    // The runtime has logged and isolated the plugin; its personalities are simply absent.
                }
            }
            return all;
        };
    }

    /**
     * Starts reading what {@link #start()} needs first — the stored personalities (decoded) and the
     * directory's bundles (parsed, their content hashed) — on a thread of its own, so that it overlaps the
     * rest of start-up (plugins loading) instead of following it; {@link #start()} and {@link #sync()}
     * wait for it. Optional: without it {@link #start()} reads the same on its caller's thread.
     */
    public synchronized void prefetch() {
        if (prefetched != null || watcher != null) {
            return;
        }
        java.util.concurrent.CompletableFuture<List<PersonalityStore.Current>> read =
                new java.util.concurrent.CompletableFuture<>();
        prefetched = read;
        Thread.ofPlatform().name("nexus-personality-prefetch").daemon(true).start(() -> {
            try {
                List<PersonalityStore.Current> stored = readStored();
                // The scanner keeps what it parsed (by file fingerprint): start()'s own scan reuses it.
                scanner.scan()
                        .candidates()
                        .values()
                        .forEach(c -> c.personality().ifPresent(store::originHash));
                read.complete(stored);
            } catch (RuntimeException | Error e) {
                read.completeExceptionally(e);
            }
        });
    }

    /** Waits for {@link #prefetch()}'s read, if one was started; returns the stored personalities it read. */
    private Optional<List<PersonalityStore.Current>> awaitPrefetch() {
        var read = prefetched;
        if (read == null) {
            return Optional.empty();
        }
        prefetched = null;
        try {
            return Optional.of(read.join());
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure; // as if start() had read it itself
            }
            throw e;
        }
    }

    private List<PersonalityStore.Current> readStored() {
        return store.all(
                (id, e) -> LOG.error("stored personality '{}' cannot be read and is left out: {}", id, e.getMessage()));
    }

    /** Reads the plugins and the directory once, then polls the directory until {@link #close()}. */
    public synchronized void start() {
        if (watcher != null) {
            return;
        }
        List<PersonalityStore.Current> stored = awaitPrefetch().orElseGet(this::readStored);
        pluginCandidates = plugins.get().stream().map(this::pluginCandidate).toList();
        // A version stored meanwhile (its commit callback) is newer than what was read: keep the newest.
        stored.forEach(c -> current.merge(
                c.version().id(),
                c,
                (known, read) -> read.version().version() >= known.version().version() ? read : known));
        sync();
        watcher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("nexus-personality-watcher")
                .daemon(true)
                .factory());
        watcher.scheduleWithFixedDelay(this::syncQuietly, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info(
                "personalities: {} from {} (polled every {} ms), {} problem(s)",
                current.size(),
                scanner.label(),
                poll.toMillis(),
                problems.size());
    }

    /**
     * Brings the registry in line with its sources now: re-reads changed bundles, applies them,
     * removes personalities whose source is gone, and picks up versions written by other hosts.
     */
    public synchronized void sync() {
        awaitPrefetch().ifPresent(stored -> {}); // the scanner is not for two threads at once
        BundleScanner.Scan scan = scanner.scan();
        List<BundleProblem> found = new ArrayList<>(scan.problems());
        Map<PersonalityId, List<BundleProblem>> byId = new HashMap<>();
        Map<PersonalityId, Owner> claimed = new LinkedHashMap<>();
        scan.candidates().values().forEach(candidate -> {
            claimed.put(candidate.id(), candidate.owner());
            apply(candidate.id(), candidate.owner(), candidate.personality(), candidate.problems(), found, byId);
        });
        for (BundleScanner.Candidate plugin : pluginCandidates) {
            PersonalityId id = plugin.id();
            Owner holder = claimed.get(id);
            if (holder != null) {
                conflict(
                        id,
                        new BundleProblem(
                                "plugin:" + plugin.owner().detail() + "/" + id,
                                "id",
                                "'" + id
                                        + "' is also offered by " + holder.describe()
                                        + ", which takes precedence; this plugin's version "
                                        + "is ignored"),
                        found,
                        byId);
                continue;
            }
            claimed.put(id, plugin.owner());
            apply(id, plugin.owner(), plugin.personality(), plugin.problems(), found, byId);
        }
        offered.keySet().retainAll(claimed.keySet());
        List<PersonalityRepository.Pointer> pointers = store.pointers();
        refreshFromStorage(retireUnclaimed(pointers, claimed.keySet()) ? store.pointers() : pointers);
        this.reserved = Set.copyOf(claimed.keySet());
        this.problemsById = Map.copyOf(byId);
        this.problems = List.copyOf(found);
        logNew(found);
    }

    private BundleScanner.Candidate pluginCandidate(PluginPersonality plugin) {
        PersonalityId id = PersonalityId.of(plugin.bundle().id());
        Owner owner = Owner.plugin(plugin.pluginId());
        try {
            return new BundleScanner.Candidate(
                    id, owner, Optional.of(codec.decode(plugin.origin(), plugin.bundle())), List.of());
        } catch (InvalidPersonalityException e) {
            return new BundleScanner.Candidate(id, owner, Optional.empty(), e.bundleProblems());
        }
    }

    private void apply(
            PersonalityId id,
            Owner owner,
            Optional<Personality> personality,
            List<BundleProblem> sourceProblems,
            List<BundleProblem> found,
            Map<PersonalityId, List<BundleProblem>> byId) {
        if (personality.isEmpty()) {
            sourceProblems.forEach(problem -> conflict(id, problem, found, byId));
            return;
        }
        PersonalityStore.Current known = current.get(id);
        if (personality.get().equals(offered.get(id))
                && known != null
                && known.owner().equals(owner)) {
            return; // applied before and still in place: no need to touch the database on every tick
        }
        offered.remove(id);
        PersonalityStore.Offer outcome = store.offer(personality.get(), owner);
        if (outcome != PersonalityStore.Offer.OWNED_BY_API) {
            offered.put(id, personality.get());
        } else {
            conflict(
                    id,
                    new BundleProblem(
                            owner.detail(),
                            "id",
                            "'" + id + "' belongs to a personality created over "
                                    + "the API, so this source is ignored; rename it, or DELETE /v1/personalities/" + id
                                    + " first"),
                    found,
                    byId);
        }
    }

    private static void conflict(
            PersonalityId id,
            BundleProblem problem,
            List<BundleProblem> found,
            Map<PersonalityId, List<BundleProblem>> byId) {
        found.add(problem);
        byId.computeIfAbsent(id, key -> new ArrayList<>()).add(problem);
    }

    /** Removes bundle and plugin personalities whose source is gone; returns whether any was. */
    private boolean retireUnclaimed(List<PersonalityRepository.Pointer> pointers, Set<PersonalityId> claimed) {
        boolean any = false;
        for (PersonalityRepository.Pointer pointer : pointers) {
            PersonalityId id = PersonalityId.of(pointer.id());
            if (pointer.live() && pointer.owner().kind() != Owner.Kind.API && !claimed.contains(id)) {
                store.retire(id, pointer.owner());
                LOG.info(
                        "personality '{}' removed: its source {} is gone",
                        id,
                        pointer.owner().describe());
                any = true;
            }
        }
        return any;
    }

    /** Picks up changes other hosts sharing the database made. */
    private void refreshFromStorage(List<PersonalityRepository.Pointer> pointers) {
        Set<PersonalityId> live = new HashSet<>();
        for (PersonalityRepository.Pointer pointer : pointers) {
            if (!pointer.live()) {
                continue;
            }
            PersonalityId id = PersonalityId.of(pointer.id());
            live.add(id);
            PersonalityStore.Current known = current.get(id);
            if (known == null
                    || known.version().version() != pointer.currentVersion()
                    || !known.owner().equals(pointer.owner())) {
                reload(id);
            }
        }
        for (PersonalityId id : List.copyOf(current.keySet())) {
            if (!live.contains(id)) {
                // The pointer snapshot may predate a write that committed since: ask before dropping.
                reload(id);
            }
        }
    }

    private void reload(PersonalityId id) {
        try {
            Optional<PersonalityStore.Current> fresh = store.current(id);
            if (fresh.isPresent()) {
                current.merge(
                        id,
                        fresh.get(),
                        (known, read) ->
                                read.version().version() >= known.version().version() ? read : known);
            } else {
                current.remove(id);
            }
        } catch (InvalidPersonalityException e) {
            LOG.error("stored personality '{}' cannot be read and is left out: {}", id, e.getMessage());
        }
    }

    private void logNew(List<BundleProblem> found) {
        Set<String> now = new LinkedHashSet<>();
        found.forEach(problem -> now.add(problem.toString()));
        now.stream().filter(line -> !logged.contains(line)).forEach(line -> LOG.warn("personality problem: {}", line));
        logged = now;
    }

    private void syncQuietly() {
        try {
            sync();
        } catch (RuntimeException e) {
            LOG.warn("personality sync failed; retrying in {} ms: {}", poll.toMillis(), e.toString());
        }
    }

    /**
     * Names this host for bundle imports: a bundle becomes a new version only when it differs from
     * what this host imported last, so a host started with an older directory never rewinds what
     * another host stored. Call before {@link #start()}.
     */
    public void bundleHost(String hostId) {
        store.hostId(hostId);
    }

    /** Tells {@code listener} the id of every personality this host wrote or removed (after commit). */
    public void onChange(java.util.function.Consumer<PersonalityId> listener) {
        this.changes = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** Re-reads one personality from the database, after another host changed it. */
    public void refresh(PersonalityId id) {
        reload(id);
    }

    // --- reading ---------------------------------------------------------------------------------

    @Override
    public Optional<PersonalityVersion> current(PersonalityId id) {
        return Optional.ofNullable(current.get(id)).map(PersonalityStore.Current::version);
    }

    /** Returns every personality in the registry, by id. */
    public List<Registered> list() {
        return current.values().stream()
                .map(this::registered)
                .sorted(Comparator.comparing(r -> r.id().value()))
                .toList();
    }

    /**
     * Returns one personality.
     *
     * @throws NotFoundException if there is none with this id (the message lists its source's problems, if any)
     */
    public Registered get(PersonalityId id) {
        PersonalityStore.Current found = current.get(id);
        if (found == null) {
            List<BundleProblem> reasons = problemsById.getOrDefault(id, List.of());
            if (!reasons.isEmpty()) {
                throw new NotFoundException("personality '" + id + "' is not available because its source has "
                        + reasons.size() + " problem(s): " + reasons.get(0) + (reasons.size() > 1 ? "; ..." : ""));
            }
            throw NotFoundException.of("personality", id.value());
        }
        return registered(found);
    }

    /** Returns every problem the sources currently have, including conflicts. */
    public List<BundleProblem> problems() {
        return problems;
    }

    /** Returns every version of a personality, newest first. */
    public List<PersonalityVersion> versions(PersonalityId id) {
        return store.versions(id);
    }

    /** Returns one version of a personality. */
    public PersonalityVersion version(PersonalityId id, int version) {
        return store.version(id, version)
                .orElseThrow(() -> new NotFoundException("personality '" + id + "' has no version " + version
                        + "; GET /v1/personalities/" + id + "/versions lists them"));
    }

    private Registered registered(PersonalityStore.Current found) {
        return new Registered(
                found.version(),
                found.owner(),
                problemsById.getOrDefault(found.version().id(), List.of()));
    }

    // --- writing -----------------------------------------------------------------------------------

    /**
     * Creates a personality owned by the API.
     *
     * @throws dev.nexus.host.ConflictException if the id exists or a bundle or plugin holds it
     */
    public PersonalityVersion create(Personality personality) {
        PersonalityId id = personality.id();
        if (reserved.contains(id) && !current.containsKey(id)) {
            throw new dev.nexus.host.ConflictException(
                    "personality id '" + id + "' is held by a bundle or plugin in the "
                            + "personalities directory that currently has problems; fix or remove it, or choose another id");
        }
        return store.create(personality);
    }

    /**
     * Replaces an API-owned personality (identical content makes no new version).
     *
     * @throws NotFoundException if there is no such personality
     * @throws dev.nexus.host.ConflictException if a bundle or plugin owns it (the message says what to edit)
     */
    public PersonalityVersion replace(Personality personality) {
        return store.replace(personality);
    }

    /**
     * Removes an API-owned personality from the registry; its versions stay stored.
     *
     * @throws NotFoundException if there is no such personality
     * @throws dev.nexus.host.ConflictException if a bundle or plugin owns it (the message says what to do instead)
     */
    public void delete(PersonalityId id) {
        store.delete(id);
    }

    /**
     * Writes a new version with some trait values changed, if {@code baseVersion} is still current
     * (compare-and-swap). Only evolvable traits may change, and only within their bounds. When the
     * calling thread has a Jdbi transaction open on the same {@link Database} (for example
     * {@code database.jdbi().useTransaction(h -> { ...; personalities.applyTraits(...); })}), the
     * write joins it and the registry sees the new version only after that transaction commits.
     *
     * @param id the personality
     * @param baseVersion the version the change was computed from
     * @param values new values by trait name
     * @param source the version's source, e.g. {@code evolution:<proposal id>} or {@code rollback:<proposal id>}
     * @return the new current version
     * @throws NotFoundException if there is no such personality
     * @throws dev.nexus.host.ConflictException if the current version is no longer {@code baseVersion}
     * @throws dev.nexus.host.InvalidInputException for unknown or non-evolvable traits and out-of-bounds values
     */
    public PersonalityVersion applyTraits(
            PersonalityId id, int baseVersion, Map<String, Double> values, String source) {
        return store.applyTraits(id, baseVersion, values, source);
    }

    /**
     * Writes a new version with the content of the earlier {@code targetVersion}, if {@code baseVersion}
     * is still current (compare-and-swap); a rollback never rewrites history. Joins the caller's
     * transaction like {@link #applyTraits}.
     *
     * @throws NotFoundException if there is no such personality or version
     * @throws dev.nexus.host.ConflictException if the current version is no longer {@code baseVersion}
     */
    public PersonalityVersion restore(PersonalityId id, int baseVersion, int targetVersion, String source) {
        return store.restore(id, baseVersion, targetVersion, source);
    }

    /** Returns the codec, for features that read or write the native format (import, export). */
    public PersonaCodec codec() {
        return codec;
    }

    /** Stops polling the directory. */
    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.shutdownNow();
            watcher = null;
        }
    }
}
