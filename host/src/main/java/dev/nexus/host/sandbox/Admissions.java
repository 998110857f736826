package dev.nexus.host.sandbox;

import dev.nexus.host.InvalidInputException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admission desk of {@link FitnessSandbox}: reads jars from the sandbox directory, has them judged
 * (the bytecode scan), keeps the exact bytes of admitted jars by hash in {@code <dir>/.admitted/} (so
 * later edits to the dropped file change nothing), records admitted ones as pending approval and
 * remembers refusals. Thread-safe.
 */
final class Admissions {

    private static final Logger log = LoggerFactory.getLogger(FitnessSandbox.class);
    private static final String ADMITTED = ".admitted";

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
                if (!entry.getFileName().toString().startsWith(".") && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
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
                log.warn("Sandbox skipped {}: {}", jar, e.getMessage());
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
            return refuse(AdmissionReport.of(fileName, sha256(file), size(file), Optional.empty(), Optional.empty(),
                    List.of(), List.of(), List.of("the jar is larger than sandbox.max-jar-bytes ("
                            + config.maxJarBytes() + " bytes)")));
        }
        byte[] bytes = read(file);
        String sha256 = JarContents.sha256(bytes);
        Optional<SandboxPlugin> known = store.find(sha256);
        if (known.isPresent()) {
            return known.get().report();
        }
        if (refusals.containsKey(sha256)) {
            return refusals.get(sha256);
        }
        AdmissionReport report = admission.judge(fileName, bytes);
        if (!report.admitted()) {
            return refuse(report);
        }
        keepAdmittedCopy(sha256, bytes);
        SandboxPlugin plugin = new SandboxPlugin(sha256, fileName, report.fitnessClass().orElseThrow(), report.version(),
                Optional.empty(), SandboxState.PENDING_APPROVAL, 0, Optional.empty(), clock.instant(), clock.instant(),
                report);
        store.insert(plugin);
        log.info("Sandbox admitted {} ({} external symbols, all allowed); it waits for approval", plugin.label(),
                report.symbols().size());
        return report;
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

    private AdmissionReport refuse(AdmissionReport report) {
        refusals.put(report.sha256(), report);
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
            throw new UncheckedIOException("cannot keep the admitted copy of " + sha256 + " in " + target.getParent(), e);
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
