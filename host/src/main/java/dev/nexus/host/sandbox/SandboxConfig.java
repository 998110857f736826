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
 * @param weights weights for particular plugins, by the fitness id bound at approval or by SHA-256 (default none);
 *     a jar's file name is chosen by whoever drops it, so it is not a key
 * @param scanTimeoutMillis the time budget of one jar's admission scan; over it, the jar is refused (default 10000)
 * @param cleanCallsToReset clean calls in a row that reset a plugin's failure count (default 3)
 * @param maxCpuSeconds the CPU time one child JVM may use over its life before the OS kills it (default 600)
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
        Map<String, Double> weights,
        Integer scanTimeoutMillis,
        Integer cleanCallsToReset,
        Integer maxCpuSeconds) {

    /** Whether to put child JVMs in their own network namespace. */
    public enum NetworkIsolation {
        AUTO,
        REQUIRED,
        OFF
    }

    /** States the defaults and validates. */
    public SandboxConfig {
        directory = directory == null ? "" : directory.strip();
        maxHeap = maxHeap == null ? "64m" : maxHeap.strip().toLowerCase(Locale.ROOT);
        callTimeoutMillis = callTimeoutMillis == null ? 5_000 : callTimeoutMillis;
        startTimeoutMillis = startTimeoutMillis == null ? 20_000 : startTimeoutMillis;
        maxConsecutiveFailures = maxConsecutiveFailures == null ? 3 : maxConsecutiveFailures;
        maxOutputBytes = maxOutputBytes == null ? 1 << 20 : maxOutputBytes;
        maxJarBytes = maxJarBytes == null ? 8L << 20 : maxJarBytes;
        networkIsolation =
                networkIsolation == null ? "auto" : networkIsolation.strip().toLowerCase(Locale.ROOT);
        fitnessWeight = fitnessWeight == null ? 0.25 : fitnessWeight;
        weights = weights == null ? Map.of() : checkedWeights(weights);
        scanTimeoutMillis = scanTimeoutMillis == null ? 10_000 : scanTimeoutMillis;
        cleanCallsToReset = cleanCallsToReset == null ? 3 : cleanCallsToReset;
        maxCpuSeconds = maxCpuSeconds == null ? 600 : maxCpuSeconds;
        if (scanTimeoutMillis < 100 || scanTimeoutMillis > 600_000) {
            throw new IllegalArgumentException("scan-timeout-millis must be 100-600000, got " + scanTimeoutMillis);
        }
        if (cleanCallsToReset < 1 || cleanCallsToReset > 1_000) {
            throw new IllegalArgumentException("clean-calls-to-reset must be 1-1000, got " + cleanCallsToReset);
        }
        if (maxCpuSeconds < 1 || maxCpuSeconds > 86_400) {
            throw new IllegalArgumentException("max-cpu-seconds must be 1-86400, got " + maxCpuSeconds);
        }
        if (!maxHeap.matches("[1-9][0-9]{0,6}[kmg]")) {
            throw new IllegalArgumentException(
                    "max-heap must look like 64m (digits, then k, m or g), got '" + JarContents.cap(maxHeap) + "'");
        }
        if (callTimeoutMillis < 100 || callTimeoutMillis > 600_000) {
            throw new IllegalArgumentException("call-timeout-millis must be 100-600000, got " + callTimeoutMillis);
        }
        if (startTimeoutMillis < 1_000 || startTimeoutMillis > 600_000) {
            throw new IllegalArgumentException("start-timeout-millis must be 1000-600000, got " + startTimeoutMillis);
        }
        if (maxConsecutiveFailures < 1) {
            throw new IllegalArgumentException(
                    "max-consecutive-failures must be at least 1, got " + maxConsecutiveFailures);
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
        if (!networkIsolation.matches("auto|required|off")) {
            throw new IllegalArgumentException(
                    "network-isolation must be auto, required or off, got '" + JarContents.cap(networkIsolation) + "'");
        }
    }

    /**
     * Checks every weight before copying: {@code Map.copyOf} refuses a missing value with a bare
     * NullPointerException, and a key written without a value ({@code weights: {my-plugin: }}) is one.
     */
    private static Map<String, Double> checkedWeights(Map<String, Double> weights) {
        weights.forEach((key, weight) -> {
            if (weight == null || !(weight >= 0 && weight <= 100)) {
                throw new IllegalArgumentException("weights." + JarContents.cap(String.valueOf(key))
                        + " must be between 0 and 100, got " + weight);
            }
        });
        return Map.copyOf(weights);
    }

    /** The settings of the first sandbox version; the later ones take their defaults. */
    public SandboxConfig(
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
        this(
                directory,
                maxHeap,
                callTimeoutMillis,
                startTimeoutMillis,
                maxConsecutiveFailures,
                maxOutputBytes,
                maxJarBytes,
                networkIsolation,
                fitnessWeight,
                weights,
                null,
                null,
                null);
    }

    /** Returns the defaults with {@code directory} set. */
    public static SandboxConfig defaults(Path directory) {
        return new SandboxConfig(directory.toString(), null, null, null, null, null, null, null, null, null);
    }

    /** Returns the sandbox directory: the configured one, or {@code <dataDir>/sandbox}. */
    public Path directory(Path dataDir) {
        return directory.isEmpty() ? dataDir.resolve("sandbox") : Path.of(directory);
    }

    /**
     * Returns the weight of {@code plugin}: by its SHA-256 or by the fitness id bound to it (see
     * {@link SandboxPlugin#fitnessId()}) when configured, else the default. Never by file name: anyone who
     * drops a jar chooses its file name.
     */
    public double weightOf(SandboxPlugin plugin) {
        for (String key : new String[] {plugin.sha256(), plugin.fitnessId().orElse("")}) {
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
