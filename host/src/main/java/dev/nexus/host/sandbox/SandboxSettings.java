package dev.nexus.host.sandbox;

import dev.nexus.host.InvalidInputException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Configuration of the fitness-plugin sandbox (YAML section {@code sandbox}, kebab-case keys). Every
 * default is stated here once: a null component takes its default. Immutable.
 *
 * @param directory where third-party fitness jars are dropped; blank means {@code <data-dir>/sandbox}
 * @param maxHeap the child JVM's hard heap cap, as for {@code -Xmx} ({@code 64m})
 * @param callTimeout the wall-clock limit of one score call before the child is killed ({@code PT5S})
 * @param startTimeout the limit for starting a child JVM and loading the plugin into it ({@code PT20S})
 * @param maxConsecutiveFailures timeouts, crashes, errors or invalid outputs in a row that disable a plugin ({@code 3})
 * @param maxOutputBytes the largest reply a plugin may send ({@code 1048576}); larger is invalid output
 * @param maxJarBytes the largest jar admission reads ({@code 8388608})
 * @param networkIsolation {@code auto} (use a network namespace when the OS allows), {@code required}
 *     (refuse to run plugins without one) or {@code off}
 */
public record SandboxSettings(
        String directory,
        String maxHeap,
        Duration callTimeout,
        Duration startTimeout,
        Integer maxConsecutiveFailures,
        Integer maxOutputBytes,
        Long maxJarBytes,
        NetworkIsolation networkIsolation) {

    /** Whether to put child JVMs in their own network namespace. */
    public enum NetworkIsolation { AUTO, REQUIRED, OFF }

    /** Applies defaults and validates. */
    public SandboxSettings {
        directory = directory == null ? "" : directory.strip();
        maxHeap = maxHeap == null ? "64m" : maxHeap.strip().toLowerCase(Locale.ROOT);
        callTimeout = callTimeout == null ? Duration.ofSeconds(5) : callTimeout;
        startTimeout = startTimeout == null ? Duration.ofSeconds(20) : startTimeout;
        maxConsecutiveFailures = maxConsecutiveFailures == null ? 3 : maxConsecutiveFailures;
        maxOutputBytes = maxOutputBytes == null ? 1 << 20 : maxOutputBytes;
        maxJarBytes = maxJarBytes == null ? 8L << 20 : maxJarBytes;
        networkIsolation = networkIsolation == null ? NetworkIsolation.AUTO : networkIsolation;
        if (!maxHeap.matches("[1-9][0-9]{0,6}[kmg]")) {
            throw new InvalidInputException("sandbox.max-heap must look like 64m (digits and k, m or g), got '"
                    + InvalidInputException.cap(maxHeap) + "'");
        }
        positive("call-timeout", callTimeout);
        positive("start-timeout", startTimeout);
        if (maxConsecutiveFailures < 1) {
            throw new InvalidInputException("sandbox.max-consecutive-failures must be at least 1, got " + maxConsecutiveFailures);
        }
        if (maxOutputBytes < 1024) {
            throw new InvalidInputException("sandbox.max-output-bytes must be at least 1024, got " + maxOutputBytes);
        }
        if (maxJarBytes < 1024) {
            throw new InvalidInputException("sandbox.max-jar-bytes must be at least 1024, got " + maxJarBytes);
        }
    }

    /** Returns the defaults with {@code directory} set. */
    public static SandboxSettings defaults(Path directory) {
        return new SandboxSettings(directory.toString(), null, null, null, null, null, null, null);
    }

    /** Returns the sandbox directory: the configured one, or {@code <dataDir>/sandbox}. */
    public Path directory(Path dataDir) {
        return directory.isEmpty() ? dataDir.resolve("sandbox") : Path.of(directory);
    }

    private static void positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new InvalidInputException("sandbox." + key + " must be positive, got " + value);
        }
    }
}
