package dev.nexus.host.sandbox;

import dev.nexus.api.evolution.FitnessRequest;
import dev.nexus.host.ConflictException;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.db.Database;
import dev.nexus.host.evolution.WeightedFitness;
import dev.nexus.host.plugins.PluginInfo;
import dev.nexus.host.plugins.PluginText;
import dev.nexus.host.sandbox.SandboxConfig.NetworkIsolation;
import dev.nexus.host.sandbox.ScoreOutcome.Failed;
import dev.nexus.host.sandbox.ScoreOutcome.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox for third-party {@code FitnessFunction} plugins: the front door of {@code host.sandbox}.
 *
 * <p><b>Admission.</b> {@link #refresh()} reads every {@code *.jar} in the sandbox directory, identifies
 * it by SHA-256 and scans all its bytecode against the allowlist ({@link AdmissionReport} lists every
 * external symbol). The jar is never loaded into the host JVM. An admitted jar is copied, by hash, to
 * {@code <dir>/.admitted/} (so later edits to the dropped file change nothing) and waits as
 * {@link SandboxState#PENDING_APPROVAL}; a refused jar is only reported.
 *
 * <p><b>Approval.</b> Enabling is a decision for a human: the approval queue proposes it for a plugin
 * from {@link #candidates()} and, once approved, its apply step calls {@link #enable(String)}.
 *
 * <p><b>Execution.</b> Evolution calls {@link #score} for each plugin in {@link #enabled()}. Each plugin
 * runs in its own reusable child JVM (same {@code java}, heap cap, timeout with kill and restart, no
 * network where the OS allows: see {@link #isolation()}); every reply is validated here and a plugin is
 * disabled after {@code max-consecutive-failures} timeouts, crashes, errors or invalid outputs in a row.
 *
 * <p>Thread-safe. Calls to different plugins run in parallel; calls to one plugin are serialised.
 * {@link #close()} stops every child JVM.
 */
public final class FitnessSandbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FitnessSandbox.class);

    private final SandboxConfig config;
    private final Path directory;
    private final Clock clock;
    private final SandboxStore store;
    private final Admissions admissions;
    private final Path runtime;
    private final ChildLauncher launcher;
    private final Map<String, PluginRunner> runners = new ConcurrentHashMap<>();
    private final Path jars;
    private final ExecutorService background = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("sandbox-admission").daemon().factory());
    private final List<Runnable> refreshListeners = new CopyOnWriteArrayList<>();

    /**
     * Creates the sandbox over {@code directory}, keeping plugin states in the database (table
     * {@code sandbox_plugins}), so approvals and disablements survive restarts and are shared by hosts
     * on one PostgreSQL.
     *
     * @throws UncheckedIOException when the directories cannot be created
     */
    public FitnessSandbox(SandboxConfig config, Path directory, Database database, Clock clock) {
        this(config, directory, clock, new SandboxRepository(database), new BytecodeScanner()::scan);
    }

    /**
     * Creates the sandbox over {@code directory}, keeping plugin states in memory only (they are lost at
     * restart): for tools and tests that run without a database.
     *
     * @throws UncheckedIOException when the directories cannot be created
     */
    public FitnessSandbox(SandboxConfig config, Path directory, Clock clock) {
        this(config, directory, clock, new InMemorySandboxStore(), new BytecodeScanner()::scan);
    }

    /**
     * The full constructor. Package-private on purpose: only this package's tests pass an
     * {@code admission} other than the bytecode scan (to prove the run-time defences hold on their own).
     */
    FitnessSandbox(SandboxConfig config, Path directory, Clock clock, SandboxStore store, Admission admission) {
        this.config = config;
        this.directory = directory;
        this.clock = clock;
        this.store = store;
        this.admissions = new Admissions(config, directory, clock, store, admission);
        try {
            this.runtime = Files.createTempDirectory("nexus-sandbox-");
            Path classPath = Files.createDirectory(runtime.resolve("classes"));
            Path work = Files.createDirectory(runtime.resolve("work"));
            this.jars = Files.createDirectory(runtime.resolve("jars"));
            readableByAll(runtime);
            // The child's class path (parsed and copied class by class: ~9% of the host's start-up on its main
            // thread) is written on the sandbox's own thread, before any admission; a child launch waits for it.
            CompletableFuture<Void> classes = CompletableFuture.runAsync(
                    () -> {
                        ChildClassPath.write(classPath);
                        try {
                            readableByAll(classPath);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    },
                    background);
            classes.whenComplete((done, failure) -> {
                if (failure != null) {
                    log.error(
                            "Sandbox: the child's class path could not be written; fitness plugins cannot run",
                            failure);
                }
            });
            this.launcher = new ChildLauncher(config, classPath, work, classes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the sandbox's private runtime directory", e);
        }
    }

    private static void readableByAll(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path path : files.toList()) {
                ChildLauncher.readableByAll(path);
            }
        }
    }

    /** Returns the directory third-party fitness jars are dropped into. */
    public Path directory() {
        return directory;
    }

    /**
     * Admits every jar in the sandbox directory not seen before and returns the reports of all jars
     * there, in file-name order. Hidden files and non-jars are ignored; a jar that cannot be read is
     * logged and skipped. Admitted jars wait for approval; refused ones never run.
     */
    public List<AdmissionReport> refresh() {
        return admissions.refresh();
    }

    /**
     * Starts {@link #refresh()} on the sandbox's own admission thread and returns at once: what the host
     * does at start, so that no jar in the directory (however hostile or expensive to scan) delays start-up.
     * Every listener added with {@link #onRefreshed} runs once the refresh is done.
     */
    public CompletableFuture<List<AdmissionReport>> refreshInBackground() {
        return CompletableFuture.supplyAsync(
                () -> {
                    List<AdmissionReport> reports = refresh();
                    for (Runnable listener : refreshListeners) {
                        try {
                            listener.run();
                        } catch (RuntimeException e) {
                            log.warn("Sandbox: a listener failed after admission: {}", e.toString());
                        }
                    }
                    return reports;
                },
                background);
    }

    /** Runs {@code listener} after every background refresh (e.g. to propose newly admitted plugins). */
    public void onRefreshed(Runnable listener) {
        refreshListeners.add(listener);
    }

    /**
     * Returns every external symbol of an admitted or refused jar (a refused jar's report is compacted),
     * for reviewers who want more than the proposal's per-package counts.
     *
     * @throws NotFoundException when no jar with this hash was judged
     */
    public AdmissionReport report(String sha256) {
        return store.find(sha256)
                .map(SandboxPlugin::report)
                .or(() -> admissions.refusal(sha256))
                .orElseThrow(() -> NotFoundException.of("sandbox plugin", JarContents.cap(sha256, 64)));
    }

    /**
     * Admits one jar that sits directly in the sandbox directory (or returns its earlier report).
     *
     * @throws InvalidInputException when {@code jar} is not a regular file directly in the sandbox directory
     */
    public AdmissionReport admit(Path jar) {
        return admissions.admit(jar);
    }

    /** Returns the reports of the refused jars seen since start. */
    public List<AdmissionReport> refused() {
        return admissions.refused();
    }

    /** Returns every admitted plugin, oldest first. */
    public List<SandboxPlugin> plugins() {
        return store.all();
    }

    /** Returns the admitted plugins waiting for approval: what the approval queue may propose to enable. */
    public List<SandboxPlugin> candidates() {
        return inState(SandboxState.PENDING_APPROVAL);
    }

    /** Returns the enabled plugins: what evolution may call through {@link #score}. */
    public List<SandboxPlugin> enabled() {
        return inState(SandboxState.ENABLED);
    }

    /** Returns the admitted plugin with this hash, or empty. */
    public Optional<SandboxPlugin> plugin(String sha256) {
        return store.find(sha256);
    }

    /**
     * Enables an admitted plugin. Called by the approval queue's apply step once a human approved the
     * proposal to enable it; idempotent (enabling an enabled plugin returns it unchanged). Resets the
     * failure count. A plugin judged by an older allowlist is scanned again first.
     *
     * @throws NotFoundException when no admitted plugin has this hash
     * @throws ConflictException when its admitted copy is gone or the current allowlist refuses it
     */
    public synchronized SandboxPlugin enable(String sha256) {
        return enable(sha256, isolation());
    }

    /**
     * Enables an admitted plugin whose approver accepted isolation level {@code accepted} (the level the
     * enablement proposal stated). When the machine gives less than that, enabling is refused; when the
     * accepted level is weaker than {@link Isolation#OS_SANDBOX}, it is recorded and the plugin runs only
     * while the machine still gives at least that level.
     *
     * @throws NotFoundException when no admitted plugin has this hash
     * @throws ConflictException when its admitted copy is gone, the current allowlist refuses it, or the
     *     machine gives less isolation than was accepted
     */
    public synchronized SandboxPlugin enable(String sha256, Isolation accepted) {
        SandboxPlugin plugin = admitted(sha256);
        if (plugin.state() == SandboxState.ENABLED) {
            return plugin;
        }
        if (!isolation().atLeast(accepted)) {
            throw new ConflictException(
                    "sandbox plugin " + plugin.label() + " cannot be enabled: the approval accepted "
                            + "isolation '" + accepted.label() + "' but this machine gives only '"
                            + isolation().label()
                            + "'; install bubblewrap or approve a new proposal that accepts the weaker level");
        }
        Path copy = admissions.admittedCopy(sha256);
        if (!Files.isRegularFile(copy)) {
            throw new ConflictException("sandbox plugin " + plugin.label() + " cannot be enabled: its admitted copy "
                    + copy + " is gone; drop the jar into " + directory + " again");
        }
        if (plugin.report().policyVersion() < Allowlist.VERSION) {
            AdmissionReport again = admissions.rejudge(plugin);
            if (!again.admitted()) {
                throw new ConflictException("sandbox plugin " + plugin.label() + " cannot be enabled: the current "
                        + "allowlist refuses it: " + again.summary());
            }
        }
        SandboxPlugin enabled = plugin.withState(SandboxState.ENABLED, Optional.empty(), clock.instant())
                .withAcceptedIsolation(
                        accepted == Isolation.OS_SANDBOX ? Optional.empty() : Optional.of(accepted.label()));
        store.update(enabled);
        log.info("Sandbox plugin {} enabled", enabled.label());
        return enabled;
    }

    /**
     * Disables a plugin and stops its child JVM; idempotent. Enabling it again needs a new approval.
     *
     * @throws NotFoundException when no admitted plugin has this hash
     */
    public synchronized SandboxPlugin disable(String sha256, String reason) {
        SandboxPlugin plugin = admitted(sha256);
        stop(sha256);
        if (plugin.state() == SandboxState.DISABLED) {
            return plugin;
        }
        SandboxPlugin disabled = plugin.withState(SandboxState.DISABLED, Optional.of(reason), clock.instant());
        store.update(disabled);
        log.info("Sandbox plugin {} disabled: {}", disabled.label(), JarContents.cap(reason, 500));
        return disabled;
    }

    /**
     * Scores candidates with one enabled plugin, in its child JVM. Never throws for what the plugin
     * does: timeouts, crashes, errors and invalid output come back as {@link Failed}, and the failure
     * that reaches {@code max-consecutive-failures} disables the plugin ({@link Failed#disabled()}).
     *
     * @throws NotFoundException when no admitted plugin has this hash
     */
    public ScoreOutcome score(String sha256, FitnessRequest request) {
        SandboxPlugin plugin = admitted(sha256);
        if (plugin.state() != SandboxState.ENABLED) {
            return new Failed(
                    Kind.NOT_ENABLED,
                    "sandbox plugin " + plugin.label() + " is " + plugin.state().label() + ", not enabled",
                    false);
        }
        if (config.isolationMode() == NetworkIsolation.REQUIRED && isolation() == Isolation.NONE) {
            return new Failed(
                    Kind.UNAVAILABLE,
                    "sandbox.network-isolation is 'required' but this machine does not "
                            + "allow network namespaces (unshare --net); run as root or enable user namespaces",
                    false);
        }
        Isolation accepted =
                plugin.acceptedIsolation().flatMap(Isolation::ofLabel).orElse(Isolation.OS_SANDBOX);
        if (!isolation().atLeast(accepted)) {
            return new Failed(
                    Kind.UNAVAILABLE,
                    "sandbox plugin " + plugin.label() + " was approved for isolation '" + accepted.label()
                            + "' but this machine now gives only '"
                            + isolation().label() + "'",
                    false);
        }
        if (!Files.isRegularFile(admissions.admittedCopy(sha256))) {
            // Another host sharing the database admitted it; this one never saw the jar.
            return new Failed(
                    Kind.UNAVAILABLE,
                    "sandbox plugin " + plugin.label() + " has no admitted copy on this " + "host; drop "
                            + plugin.fileName() + " into " + directory + " here too",
                    false);
        }
        PluginRunner runner =
                runners.computeIfAbsent(sha256, sha -> new PluginRunner(config, launcher, runtimeCopy(sha), plugin));
        ScoreOutcome outcome = runner.score(request);
        return record(sha256, outcome, runner.fitnessId());
    }

    /** A copy of the admitted jar in the private runtime directory, readable by the sandboxed child's user. */
    private Path runtimeCopy(String sha256) {
        Path copy = jars.resolve(sha256 + ".jar");
        try {
            if (!Files.exists(copy)) {
                Path temporary = Files.createTempFile(jars, sha256, ".tmp");
                Files.copy(
                        admissions.admittedCopy(sha256), temporary, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                ChildLauncher.readableByAll(temporary);
                Files.move(temporary, copy, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the admitted jar " + sha256 + " into " + jars, e);
        }
    }

    /**
     * Returns a row per sandboxed jar for {@code GET /v1/plugins}: kind {@code fitness}, state
     * {@code pending-approval}, {@code enabled}, {@code disabled} or {@code refused}, and in
     * {@code details} the hash, the isolation level, the failure count and the admission verdict.
     */
    public List<PluginInfo> status() {
        List<PluginInfo> rows = new ArrayList<>();
        String isolation = isolation().label();
        for (SandboxPlugin plugin : plugins()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("sandboxed", true);
            details.put("sha256", plugin.sha256());
            details.put("isolation", isolation);
            plugin.acceptedIsolation().ifPresent(level -> details.put("acceptedIsolation", level));
            details.put("consecutiveFailures", plugin.consecutiveFailures());
            details.put("cleanCalls", plugin.cleanCalls());
            details.put("callTimeoutMillis", config.callTimeoutMillis());
            details.put("startTimeoutMillis", config.startTimeoutMillis());
            details.put("admission", plugin.report().verdict());
            details.put("externalSymbols", plugin.report().symbols().size());
            rows.add(new PluginInfo(
                    plugin.fitnessId().orElse(JarContents.cap(plugin.fileName(), 100)),
                    JarContents.cap(plugin.version().orElse(""), 100),
                    plugin.state().label(),
                    List.of("fitness"),
                    plugin.reason().map(r -> JarContents.cap(r, 1_000)),
                    JarContents.cap(plugin.fileName(), 100),
                    details));
        }
        for (AdmissionReport report : refused()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("sandboxed", true);
            details.put("sha256", report.sha256());
            details.put("admission", report.verdict());
            details.put("deniedSymbols", report.denied().size());
            details.put("problems", report.problems().size());
            rows.add(new PluginInfo(
                    JarContents.cap(report.fileName(), 100),
                    JarContents.cap(report.version().orElse(""), 60),
                    "refused",
                    List.of("fitness"),
                    Optional.of(report.summary()),
                    JarContents.cap(report.fileName(), 100),
                    details));
        }
        return rows;
    }

    /**
     * Returns the enabled plugins as evolution's external fitness functions, each with its configured
     * weight ({@code sandbox.fitness-weight}, {@code sandbox.weights}): pass {@code sandbox::externalFitness}
     * as {@code EvolutionService}'s supplier. Scores go through {@link #score}; failures leave the
     * plugin out of that run.
     */
    public List<WeightedFitness> externalFitness() {
        return enabled().stream()
                .map(plugin -> new WeightedFitness(new SandboxFitness(this, plugin), config.weightOf(plugin)))
                .toList();
    }

    /** Returns the network isolation child JVMs get on this machine (probed once). */
    public Isolation isolation() {
        return launcher.isolation();
    }

    /** Stops every child JVM and removes the sandbox's private runtime directory. */
    @Override
    public void close() {
        background.shutdownNow();
        try {
            // The child's class path may still be being written (right after start): let it finish before the
            // directory is removed, or it would leave files behind.
            background.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runners.keySet().forEach(this::stop);
        try (Stream<Path> files = Files.walk(runtime)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not remove the sandbox runtime directory {}: {}", runtime, e.toString());
        }
    }

    private synchronized ScoreOutcome record(String sha256, ScoreOutcome outcome, Optional<String> fitnessId) {
        SandboxPlugin stored = admitted(sha256);
        SandboxPlugin plugin = stored;
        if (fitnessId.isPresent()) {
            Optional<String> conflict = identityConflict(stored, fitnessId.get());
            if (conflict.isPresent()) {
                return disableNow(stored, new Failed(Kind.IDENTITY, conflict.get(), true));
            }
            if (stored.fitnessId().isEmpty()) {
                plugin = stored.withFitnessId(fitnessId.get()); // the name is bound to this hash from now on
            }
        }
        if (!(outcome instanceof Failed failed)
                || failed.kind() == Kind.NOT_ENABLED
                || failed.kind() == Kind.UNAVAILABLE) {
            // A decline is neither clean nor a failure: it must not wash away failures (issue 19).
            SandboxPlugin updated = outcome instanceof ScoreOutcome.Scored
                    ? plugin.withSuccess(clock.instant(), config.cleanCallsToReset())
                    : plugin;
            if (!updated.equals(stored)) {
                store.update(updated);
            }
            return outcome;
        }
        SandboxPlugin failing = plugin.withFailure(failed.reason(), clock.instant());
        log.warn(
                "Sandbox plugin {} failed ({} since the last {} clean calls in a row): {}",
                failing.label(),
                failing.consecutiveFailures(),
                config.cleanCallsToReset(),
                failed.reason());
        if (failing.state() != SandboxState.ENABLED
                || failing.consecutiveFailures() < config.maxConsecutiveFailures()) {
            store.update(failing);
            return outcome;
        }
        String reason = "disabled after " + failing.consecutiveFailures() + " failures (the count resets only after "
                + config.cleanCallsToReset() + " clean calls in a row); last: " + failed.reason();
        store.update(failing.withState(SandboxState.DISABLED, Optional.of(reason), clock.instant()));
        stop(sha256);
        log.warn("Sandbox plugin {} {}", failing.label(), reason);
        return new Failed(failed.kind(), failed.reason(), true);
    }

    /**
     * Identity is the hash: the fitness id a plugin reports is bound to its SHA-256 the first time it runs
     * (after approval). Returns why {@code id} cannot be this plugin's: it is bound to another jar that is not
     * disabled, or this jar is bound to a different id already.
     */
    private Optional<String> identityConflict(SandboxPlugin plugin, String id) {
        if (plugin.fitnessId().isPresent() && !plugin.fitnessId().get().equals(id)) {
            return Optional.of("sandbox plugin " + plugin.label() + " now reports id '" + id
                    + "', but its hash is bound to '" + plugin.fitnessId().get() + "'");
        }
        return store.all().stream()
                .filter(other -> !other.sha256().equals(plugin.sha256())
                        && other.state() != SandboxState.DISABLED
                        && other.fitnessId().filter(id::equals).isPresent())
                .findFirst()
                .map(other -> "sandbox jar " + PluginText.quote(plugin.fileName(), 80) + " ("
                        + plugin.sha256().substring(0, 12)
                        + ") claims id '" + id + "', which is bound to another jar ("
                        + other.sha256().substring(0, 12)
                        + "); it was disabled");
    }

    private ScoreOutcome disableNow(SandboxPlugin plugin, Failed failed) {
        store.update(plugin.withFailure(failed.reason(), clock.instant())
                .withState(SandboxState.DISABLED, Optional.of(failed.reason()), clock.instant()));
        stop(plugin.sha256());
        log.warn("Sandbox plugin {} disabled: {}", plugin.label(), failed.reason());
        return failed;
    }

    private List<SandboxPlugin> inState(SandboxState state) {
        return store.all().stream().filter(p -> p.state() == state).toList();
    }

    private SandboxPlugin admitted(String sha256) {
        return store.find(sha256)
                .orElseThrow(() -> admissions
                        .refusal(sha256)
                        .<RuntimeException>map(
                                report -> new ConflictException("sandbox jar " + JarContents.cap(sha256, 64)
                                        + " was refused at admission and cannot run: " + report.summary()))
                        .orElseGet(() -> NotFoundException.of("sandbox plugin", JarContents.cap(sha256, 64))));
    }

    private void stop(String sha256) {
        PluginRunner runner = runners.remove(sha256);
        if (runner != null) {
            runner.retire();
        }
    }
}
