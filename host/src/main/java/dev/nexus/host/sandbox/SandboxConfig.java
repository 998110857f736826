package dev.nexus.host.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code sandbox} configuration section (kebab-case keys, {@code NEXUS_SANDBOX_*} overrides). Every
 * default is stated here once: a missing value takes its default. Immutable.
 *
 * @param directory where third-party fitness jars are dropped (default {@code <data-dir>/sandbox})
 * @param maxHeap the child JVM's hard heap cap, as for {@code -Xmx} (default {@code 64m})
 * @param callTimeoutMillis the wall-clock limit of one score call before the child JVM is killed (default 5000)
 * @param startTimeoutMillis the limit for starting a child JVM and loading the plugin into it (default 20000)
 * @param maxConsecutiveFailures timeouts, crashes, errors or invalid outputs in a row that disable a plugin (default 3)
 * @param maxOutputBytes the largest reply a plugin may send; larger is invalid output (default 1048576)
 * @param maxJarBytes the largest jar admission reads (default 8388608)
 * @param networkIsolation {@code auto} (an empty network namespace when the OS allows it), {@code required}
 *     (refuse to run plugins without one) or {@code off} (default {@code auto})
 * @param fitnessWeight the weight of an enabled plugin's scores in an evolution run's fitness, in rating
 *     units: a score of 1 adds this much (default 0.25)
 * @param weights weights for particular plugins, by fitness id, jar file name or SHA-256 (default none)
 */
public record SandboxConfig(
        String directory,
        String maxHeap,
        Integer callTimeoutMillis,
        Integer startTimeoutMillis,
        Integer maxConsecutiveFailures,
        Integer maxOutputBytes,
        Long maxJarBytes,
        String networkIsolation,
        Double fitnessWeight,
        Map<String, Double> weights) {

    /** Whether to put child JVMs in their own network namespace. */
    public enum NetworkIsolation { AUTO, REQUIRED, OFF }

    /** States the defaults and validates. */
    public SandboxConfig {
        directory = directory == null ? "" : directory.strip();
        maxHeap = maxHeap == null ? "64m" : maxHeap.strip().toLowerCase(Locale.ROOT);
        callTimeoutMillis = callTimeoutMillis == null ? 5_000 : callTimeoutMillis;
        startTimeoutMillis = startTimeoutMillis == null ? 20_000 : startTimeoutMillis;
        maxConsecutiveFailures = maxConsecutiveFailures == null ? 3 : maxConsecutiveFailures;
        maxOutputBytes = maxOutputBytes == null ? 1 << 20 : maxOutputBytes;
        maxJarBytes = maxJarBytes == null ? 8L << 20 : maxJarBytes;
        networkIsolation = networkIsolation == null ? "auto" : networkIsolation.strip().toLowerCase(Locale.ROOT);
        fitnessWeight = fitnessWeight == null ? 0.25 : fitnessWeight;
        weights = weights == null ? Map.of() : Map.copyOf(weights);
        if (!maxHeap.matches("[1-9][0-9]{0,6}[kmg]")) {
            throw new IllegalArgumentException("max-heap must look like 64m (digits, then k, m or g), got '"
                    + JarContents.cap(maxHeap) + "'");
        }
        if (callTimeoutMillis < 100 || callTimeoutMillis > 600_000) {
            throw new IllegalArgumentException("call-timeout-millis must be 100-600000, got " + callTimeoutMillis);
        }
        if (startTimeoutMillis < 1_000 || startTimeoutMillis > 600_000) {
            throw new IllegalArgumentException("start-timeout-millis must be 1000-600000, got " + startTimeoutMillis);
        }
        if (maxConsecutiveFailures < 1) {
            throw new IllegalArgumentException("max-consecutive-failures must be at least 1, got " + maxConsecutiveFailures);
        }
        if (maxOutputBytes < 1024) {
            throw new IllegalArgumentException("max-output-bytes must be at least 1024, got " + maxOutputBytes);
        }
        if (maxJarBytes < 1024) {
            throw new IllegalArgumentException("max-jar-bytes must be at least 1024, got " + maxJarBytes);
        }
        if (!(fitnessWeight >= 0 && fitnessWeight <= 100)) {
            throw new IllegalArgumentException("fitness-weight must be between 0 and 100, got " + fitnessWeight);
        }
        weights.forEach((key, weight) -> {
            if (weight == null || !(weight >= 0 && weight <= 100)) {
                throw new IllegalArgumentException("weights." + JarContents.cap(key) + " must be between 0 and 100, got "
                        + weight);
            }
        });
        if (!networkIsolation.matches("auto|required|off")) {
            throw new IllegalArgumentException("network-isolation must be auto, required or off, got '"
                    + JarContents.cap(networkIsolation) + "'");
        }
    }

    /** Returns the defaults with {@code directory} set. */
    public static SandboxConfig defaults(Path directory) {
        return new SandboxConfig(directory.toString(), null, null, null, null, null, null, null, null, null);
    }

    /** Returns the sandbox directory: the configured one, or {@code <dataDir>/sandbox}. */
    public Path directory(Path dataDir) {
        return directory.isEmpty() ? dataDir.resolve("sandbox") : Path.of(directory);
    }

    /** Returns the weight of {@code plugin}: by fitness id, file name or hash when configured, else the default. */
    public double weightOf(SandboxPlugin plugin) {
        for (String key : new String[] {plugin.fitnessId().orElse(""), plugin.fileName(), plugin.sha256()}) {
            Double weight = weights.get(key);
            if (weight != null) {
                return weight;
            }
        }
        return fitnessWeight;
    }

    /** Returns {@link #networkIsolation()} as an enum. */
    public NetworkIsolation isolationMode() {
        return NetworkIsolation.valueOf(networkIsolation.toUpperCase(Locale.ROOT));
    }

    Duration callTimeout() {
        return Duration.ofMillis(callTimeoutMillis);
    }

    Duration startTimeout() {
        return Duration.ofMillis(startTimeoutMillis);
    }
}
