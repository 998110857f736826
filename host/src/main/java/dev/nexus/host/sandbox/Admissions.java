package dev.nexus.host.sandbox;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.json.Json;
import dev.nexus.host.plugins.PluginText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admission desk of {@link FitnessSandbox}: reads jars from the sandbox directory, has them judged
 * (the bytecode scan), keeps the exact bytes of admitted jars by hash in {@code <dir>/.admitted/} (so
 * later edits to the dropped file change nothing), records admitted ones as pending approval and
 * remembers refusals, by hash, in the store: a jar judged once is never scanned again under the same
 * policy version.
 *
 * <p>Admission can never hurt the host: each scan runs on its own thread with a bounded stack (deeply
 * nested structures overflow it and are refused) and a time budget (the thread is interrupted, and the
 * scan stops, when it runs over); any exception or error the scan throws, a manifest value longer than
 * its column, a report over {@link #MAX_REPORT_CHARS} or a store that refuses the row all become a
 * refusal with a reason. Thread-safe; one scan at a time.
 */
final class Admissions {

    private static final Logger log = LoggerFactory.getLogger(FitnessSandbox.class);
    private static final String ADMITTED = ".admitted";
    /** The largest admission report kept, as JSON characters (H2's VARCHAR holds 1,000,000). */
    static final int MAX_REPORT_CHARS = 500_000;
    /** Stack of a scanning thread: far more than any real class needs, small enough to stop deep nesting fast. */
    private static final long SCAN_STACK_BYTES = 1L << 20;

    private static final int MAX_FILE_NAME = 255;
    private static final int MAX_CLASS_NAME = 500;
    private static final int MAX_VERSION = 100;

    private final SandboxConfig config;
    private final Path directory;
    private final Clock clock;
    private final SandboxStore store;
    private final Admission admission;
    private final Map<String, AdmissionReport> refusals = new LinkedHashMap<>();

    Admissions(SandboxConfig config, Path directory, Clock clock, SandboxStore store, Admission admission) {
        this.config = config;
        this.directory = directory;
        this.clock = clock;
        this.store = store;
        this.admission = admission;
        try {
            Files.createDirectories(directory.resolve(ADMITTED));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the sandbox directory " + directory, e);
        }
    }

    /**
     * Admits every jar in the sandbox directory not seen before and returns the reports of all jars
     * there, in file-name order. Hidden files and non-jars are ignored; a jar that cannot be read is
     * logged and skipped.
     */
    synchronized List<AdmissionReport> refresh() {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*.jar")) {
            for (Path entry : entries) {
                if (!entry.getFileName().toString().startsWith(".")
                        && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    jars.add(entry);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the sandbox directory " + directory, e);
        }
        jars.sort(Comparator.comparing(Path::toString));
        List<AdmissionReport> reports = new ArrayList<>();
        for (Path jar : jars) {
            try {
                reports.add(admit(jar));
            } catch (UncheckedIOException e) {
                log.warn(
                        "Sandbox skipped {}: {}",
                        PluginText.quote(jar.getFileName().toString()),
                        JarContents.cap(String.valueOf(e.getMessage()), 300));
            }
        }
        return reports;
    }

    /**
     * Admits one jar that sits directly in the sandbox directory (or returns its earlier report).
     *
     * @throws InvalidInputException when {@code jar} is not a regular file directly in the sandbox directory
     */
    synchronized AdmissionReport admit(Path jar) {
        Path file = jar.toAbsolutePath().normalize();
        if (!directory.toAbsolutePath().normalize().equals(file.getParent())
                || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidInputException("'" + InvalidInputException.cap(jar.toString())
                    + "' is not a jar file directly in the sandbox directory " + directory
                    + "; copy it there and refresh");
        }
        String fileName = file.getFileName().toString();
        if (size(file) > config.maxJarBytes()) {
            String sha256 = sha256(file);
            return known(sha256)
                    .orElseGet(() -> refuse(refusal(
                            fileName,
                            sha256,
                            size(file),
                            "the jar is larger than sandbox.max-jar-bytes (" + config.maxJarBytes() + " bytes)")));
        }
        byte[] bytes = read(file);
        String sha256 = JarContents.sha256(bytes);
        Optional<AdmissionReport> known = known(sha256);
        if (known.isPresent()) {
            return known.get();
        }
        AdmissionReport report = checked(judgeSafely(fileName, sha256, bytes));
        if (!report.admitted()) {
            return refuse(report);
        }
        keepAdmittedCopy(sha256, bytes);
        SandboxPlugin plugin = new SandboxPlugin(
                sha256,
                fileName,
                report.fitnessClass().orElseThrow(),
                report.version(),
                Optional.empty(),
                SandboxState.PENDING_APPROVAL,
                0,
                Optional.empty(),
                clock.instant(),
                clock.instant(),
                report);
        try {
            store.insert(plugin);
        } catch (RuntimeException e) {
            return refuse(refusal(
                    fileName,
                    sha256,
                    bytes.length,
                    "the admitted jar could not be recorded (" + JarContents.cap(e.getMessage(), 200)
                            + "); it stays refused"));
        }
        log.info(
                "Sandbox admitted {} ({} external symbols, all allowed); it waits for approval",
                plugin.label(),
                report.symbols().size());
        return report;
    }

    /** Returns the verdict already reached on this hash, under the current policy: admitted or refused. */
    private Optional<AdmissionReport> known(String sha256) {
        Optional<SandboxPlugin> admitted = store.find(sha256);
        if (admitted.isPresent()) {
            return Optional.of(admitted.get().report());
        }
        AdmissionReport seen = refusals.get(sha256);
        if (seen != null) {
            return Optional.of(seen);
        }
        Optional<AdmissionReport> stored = store.refusal(sha256).filter(r -> r.policyVersion() == Allowlist.VERSION);
        stored.ifPresent(report -> refusals.put(sha256, report));
        return stored;
    }

    /**
     * Runs the admission on its own thread, with a bounded stack and the configured time budget; whatever
     * goes wrong becomes a refusal naming it.
     */
    private AdmissionReport judgeSafely(String fileName, String sha256, byte[] bytes) {
        CompletableFuture<AdmissionReport> verdict = new CompletableFuture<>();
        Thread scanner = Thread.ofPlatform()
                .name("sandbox-scan")
                .daemon()
                .stackSize(SCAN_STACK_BYTES)
                .unstarted(() -> {
                    try {
                        verdict.complete(admission.judge(fileName, bytes));
                    } catch (StackOverflowError e) {
                        verdict.complete(refusal(
                                fileName,
                                sha256,
                                bytes.length,
                                "the class files nest too deeply to scan "
                                        + "(annotations or other structures); the scan ran out of its stack"));
                    } catch (BytecodeScanner.Interrupted e) {
                        verdict.complete(overBudget(fileName, sha256, bytes.length));
                    } catch (OutOfMemoryError e) {
                        verdict.complete(refusal(fileName, sha256, bytes.length, "the scan ran out of memory"));
                    } catch (Throwable e) {
                        verdict.complete(refusal(
                                fileName,
                                sha256,
                                bytes.length,
                                "the scan failed: " + JarContents.cap(String.valueOf(e), 200)));
                    }
                });
        scanner.start();
        try {
            return verdict.get(config.scanTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            scanner.interrupt(); // the scanner checks its interrupt flag and stops
            return overBudget(fileName, sha256, bytes.length);
        } catch (InterruptedException e) {
            scanner.interrupt();
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(
                    new java.io.InterruptedIOException("admission of " + fileName + " was interrupted"));
        } catch (ExecutionException e) {
            return refusal(
                    fileName, sha256, bytes.length, "the scan failed: " + JarContents.cap(String.valueOf(e), 200));
        }
    }

    private AdmissionReport overBudget(String fileName, String sha256, long size) {
        return refusal(
                fileName,
                sha256,
                size,
                "the scan went over its time budget of " + config.scanTimeoutMillis()
                        + " ms (sandbox.scan-timeout-millis): the jar is built to be expensive to scan");
    }

    /**
     * Turns a report that cannot be stored as it is into a refusal: manifest values or a file name longer
     * than their columns, or a report over {@link #MAX_REPORT_CHARS}.
     */
    private AdmissionReport checked(AdmissionReport report) {
        List<String> problems = new ArrayList<>();
        if (report.fileName().length() > MAX_FILE_NAME
                || !report.fileName().equals(JarContents.cap(report.fileName(), MAX_FILE_NAME))) {
            problems.add("the file name must be at most " + MAX_FILE_NAME + " printable characters; rename the jar");
        }
        report.fitnessClass()
                .filter(c -> c.length() > MAX_CLASS_NAME)
                .ifPresent(c -> problems.add(JarContents.FITNESS_CLASS + " is " + c.length()
                        + " characters long; at most " + MAX_CLASS_NAME));
        report.version()
                .filter(v -> v.length() > MAX_VERSION)
                .ifPresent(v -> problems.add(
                        "Implementation-Version is " + v.length() + " characters long; at most " + MAX_VERSION));
        if (problems.isEmpty()) {
            int chars = report.admitted() ? Json.write(report).length() : 0;
            if (chars <= MAX_REPORT_CHARS) {
                return report;
            }
            problems.add("the admission report would be " + chars + " characters, over the limit of " + MAX_REPORT_CHARS
                    + " (report bomb)");
        }
        List<String> all = new ArrayList<>(problems);
        all.addAll(report.problems());
        return AdmissionReport.of(
                report.fileName(),
                report.sha256(),
                report.sizeBytes(),
                report.fitnessClass(),
                report.version(),
                report.classes(),
                report.symbols(),
                all);
    }

    private static AdmissionReport refusal(String fileName, String sha256, long size, String problem) {
        return AdmissionReport.of(
                fileName, sha256, size, Optional.empty(), Optional.empty(), List.of(), List.of(), List.of(problem));
    }

    synchronized List<AdmissionReport> refused() {
        return List.copyOf(refusals.values());
    }

    /** Returns the refusal report of the jar with this hash, if one was refused. */
    synchronized Optional<AdmissionReport> refusal(String sha256) {
        return Optional.ofNullable(refusals.get(sha256));
    }

    /** Judges the admitted copy of {@code plugin} again, under the current allowlist. */
    AdmissionReport rejudge(SandboxPlugin plugin) {
        return admission.judge(plugin.fileName(), read(admittedCopy(plugin.sha256())));
    }

    /** Returns where the scanned bytes of an admitted jar are kept. */
    Path admittedCopy(String sha256) {
        return directory.resolve(ADMITTED).resolve(sha256 + ".jar");
    }

    /** Remembers a refusal (compacted: a refused jar's report need not list everything), here and by hash in the store. */
    private AdmissionReport refuse(AdmissionReport full) {
        AdmissionReport report = full.compacted();
        refusals.put(report.sha256(), report);
        try {
            store.refuse(report, clock.instant());
        } catch (RuntimeException e) {
            log.warn(
                    "Sandbox could not record the refusal of {} ({}); it will be scanned again at the next start",
                    PluginText.quote(report.fileName()),
                    JarContents.cap(String.valueOf(e.getMessage()), 200));
        }
        log.warn("Sandbox refused {}", report.summary());
        return report;
    }

    private void keepAdmittedCopy(String sha256, byte[] bytes) {
        Path target = admittedCopy(sha256);
        try {
            Path temporary = Files.createTempFile(target.getParent(), sha256, ".tmp");
            Files.write(temporary, bytes);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot keep the admitted copy of " + sha256 + " in " + target.getParent(), e);
        }
    }

    private byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sandbox jar " + file, e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sandbox jar " + file, e);
        }
    }

    /** Hashes a file too large to admit, without holding it in memory. */
    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sandbox jar " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}
