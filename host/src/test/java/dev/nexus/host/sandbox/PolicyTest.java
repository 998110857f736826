package dev.nexus.host.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The allowlist's decisions and the configuration's validation. */
class PolicyTest {

    @ParameterizedTest(name = "{0}.{1}{2}")
    @CsvSource(delimiter = '|', textBlock = """
            java/util/Random                  | <init>         | (J)V                                    | true
            java/util/Random                  | <init>         | ()V                                     | false
            java/util/SplittableRandom        | <init>         | ()V                                     | false
            java/util/random/RandomGenerator  | getDefault     | ()Ljava/util/random/RandomGenerator;    | false
            java/util/random/RandomGeneratorFactory | create   | (J)Ljava/util/random/RandomGenerator;   | false
            java/util/random/RandomGeneratorFactory | create   | ()Ljava/util/random/RandomGenerator;    | false
            java/util/Collections             | shuffle        | (Ljava/util/List;)V                     | false
            java/util/Collections             | shuffle        | (Ljava/util/List;Ljava/util/Random;)V   | true
            java/lang/Math                    | random         | ()D                                     | false
            java/lang/Math                    | exp            | (D)D                                    | true
            java/lang/Integer                 | getInteger     | (Ljava/lang/String;)Ljava/lang/Integer; | false
            java/lang/System                  | arraycopy      | (Ljava/lang/Object;ILjava/lang/Object;II)V | true
            java/lang/System                  | nanoTime       | ()J                                     | false
            java/lang/System                  | identityHashCode | (Ljava/lang/Object;)I                 | false
            java/lang/Class                   | getName        | ()Ljava/lang/String;                    | true
            java/lang/Class                   | getClassLoader | ()Ljava/lang/ClassLoader;               | false
            java/lang/ArithmeticException     | printStackTrace | ()V                                    | false
            java/util/ArrayList               | parallelStream | ()Ljava/util/stream/Stream;             | false
            java/math/BigInteger              | parallelMultiply | (Ljava/math/BigInteger;)Ljava/math/BigInteger; | false
            java/util/Arrays                  | parallelSort   | ([D)V                                   | false
            java/util/stream/Stream           | map            | (Ljava/util/function/Function;)Ljava/util/stream/Stream; | true
            [Ljava/lang/String;               | clone          | ()Ljava/lang/Object;                    | true
            java/lang/Thread                  | sleep          | (J)V                                    | false
            java/util/concurrent/ConcurrentHashMap | put       | (Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object; | false
            """)
    void member_decidesByOwnerNameAndDescriptor(String owner, String name, String descriptor, boolean allowed) {
        assertThat(Allowlist.member(owner, name, descriptor).allowed()).isEqualTo(allowed);
    }

    @Test
    void type_deniesWholeFamiliesWithTheirReason() {
        assertThat(Allowlist.type("java/util/stream/StreamSupport").reason()).contains("parallel");
        assertThat(Allowlist.type("java/util/UUID").reason()).contains("ambient randomness");
        assertThat(Allowlist.type("java/lang/ref/Cleaner").reason()).contains("garbage-collector");
        assertThat(Allowlist.type("com/example/Unknown").reason()).isEqualTo("not in the sandbox allowlist");
        assertThat(Allowlist.type("java/util/function/Function").allowed()).isTrue();
        assertThat(Allowlist.type("java/util/function/sub/Thing").allowed()).isFalse();
        assertThat(Allowlist.type("[[I").allowed()).isTrue();
    }

    @Test
    void loadable_servesBootstrapSupportButNotWhatPluginsMayNotName() {
        assertThat(Allowlist.loadable("java.lang.invoke.LambdaMetafactory")).isTrue();
        assertThat(Allowlist.type("java/lang/invoke/LambdaMetafactory").allowed())
                .isFalse();
        assertThat(Allowlist.loadable("java.lang.invoke.MethodHandles")).isFalse();
        assertThat(Allowlist.loadable("java.io.File")).isFalse();
        assertThat(Allowlist.loadable("java.lang.String")).isTrue();
    }

    @Test
    void report_whoseVerdictContradictsItsSymbols_cannotExist() {
        ExternalSymbol denied =
                new ExternalSymbol(ExternalSymbol.Kind.TYPE, "java/io/File", "", "", false, "file and stream I/O");

        assertThatThrownBy(() -> new AdmissionReport(
                        "x.jar",
                        "ab",
                        1,
                        Optional.of("a.B"),
                        Optional.empty(),
                        List.of(),
                        List.of(denied),
                        List.of(),
                        Allowlist.VERSION,
                        "admitted"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("verdict must be 'refused' for these symbols and problems, got 'admitted'");
    }

    @Test
    void config_whenEmpty_takesTheDocumentedDefaults() {
        SandboxConfig config = new SandboxConfig(null, null, null, null, null, null, null, null, null, null);

        assertThat(config.maxHeap()).isEqualTo("64m");
        assertThat(config.callTimeoutMillis()).isEqualTo(5_000);
        assertThat(config.startTimeoutMillis()).isEqualTo(20_000);
        assertThat(config.maxConsecutiveFailures()).isEqualTo(3);
        assertThat(config.maxOutputBytes()).isEqualTo(1 << 20);
        assertThat(config.maxJarBytes()).isEqualTo(8L << 20);
        assertThat(config.isolationMode()).isEqualTo(SandboxConfig.NetworkIsolation.AUTO);
        assertThat(config.directory(Path.of("/data"))).isEqualTo(Path.of("/data/sandbox"));
    }

    @Test
    void config_whenValuesAreBad_namesTheKeyAndTheExpectation() {
        assertThatThrownBy(() -> new SandboxConfig(null, "lots", null, null, null, null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max-heap must look like 64m (digits, then k, m or g), got 'lots'");
        assertThatThrownBy(() -> new SandboxConfig(null, null, 10, null, null, null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("call-timeout-millis must be 100-600000, got 10");
        assertThatThrownBy(() -> new SandboxConfig(null, null, null, null, 0, null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max-consecutive-failures must be at least 1, got 0");
        assertThatThrownBy(() -> new SandboxConfig(null, null, null, null, null, null, null, "maybe", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("network-isolation must be auto, required or off, got 'maybe'");
    }

    @ParameterizedTest(name = "{0}: {1} and {2} accepted, {3} and {4} refused")
    @CsvSource(
            nullValues = "none",
            value = {
                "call-timeout-millis,      100,  600000, 99,     600001",
                "start-timeout-millis,     1000, 600000, 999,    600001",
                "scan-timeout-millis,      100,  600000, 99,     600001",
                "clean-calls-to-reset,     1,    1000,   0,      1001",
                "max-cpu-seconds,          1,    86400,  0,      86401",
                "max-consecutive-failures, 1,    none,   0,      none",
                "max-output-bytes,         1024, none,   1023,   none",
                "max-jar-bytes,            1024, none,   1023,   none",
                "fitness-weight,           0,    100,    -0.001, 100.001",
                "weights,                  0,    100,    -0.001, 100.001",
                "max-heap,                 1k,   9999999g, 0m,   10000000m",
            })
    void config_limits_acceptTheirEdgesAndRefuseOneStepPast(
            String key, String lowest, String highest, String belowLowest, String aboveHighest) {
        assertThat(withOne(key, lowest)).isNotNull();
        if (key.equals("weights")) {
            assertThat(withOne(key, lowest).weights()).containsExactly(java.util.Map.entry("plugin-x", 0.0));
        }
        if (highest != null) {
            assertThat(withOne(key, highest)).isNotNull();
        }
        assertThatThrownBy(() -> withOne(key, belowLowest))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(key.equals("weights") ? "weights.plugin-x" : key);
        if (aboveHighest != null) {
            assertThatThrownBy(() -> withOne(key, aboveHighest))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(key.equals("weights") ? "weights.plugin-x" : key);
        }
    }

    @Test
    void config_weights_refuseNaNAndAMissingWeight() {
        assertThatThrownBy(() -> withOne("fitness-weight", "NaN"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fitness-weight must be between 0 and 100, got NaN");
        java.util.Map<String, Double> missing = new java.util.HashMap<>();
        missing.put("plugin-x", null);
        assertThatThrownBy(() -> new SandboxConfig(null, null, null, null, null, null, null, null, null, missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("weights.plugin-x must be between 0 and 100, got null");
    }

    @Test
    void config_aWeightWrittenWithoutAValue_isAProblemNamingIt_notANullPointer() {
        // weights.plugin-x with nothing after the colon is a YAML null: Map.copyOf used to throw a bare
        // NullPointerException for it before the check, and start-up said only "sandbox: null".
        dev.nexus.host.config.Settings settings =
                dev.nexus.host.config.Settings.of("sandbox:\n  weights:\n    plugin-x:\n", java.util.Map.of());

        settings.section("sandbox", SandboxConfig.class);

        assertThatThrownBy(() -> settings.verify(List.of("sandbox")))
                .hasMessageContaining("weights.plugin-x must be between 0 and 100, got null");
    }

    @Test
    void config_laterSettings_whenEmpty_takeTheirDocumentedDefaults() {
        SandboxConfig config = new SandboxConfig(null, null, null, null, null, null, null, null, null, null);

        assertThat(config.scanTimeoutMillis()).isEqualTo(10_000);
        assertThat(config.cleanCallsToReset()).isEqualTo(3);
        assertThat(config.maxCpuSeconds()).isEqualTo(600);
        assertThat(config.fitnessWeight()).isEqualTo(0.25);
        assertThat(config.weights()).isEmpty();
    }

    /** A configuration with every setting at its default but {@code key}, which is {@code value}. */
    private static SandboxConfig withOne(String key, String value) {
        Integer i = key.endsWith("-millis")
                        || key.equals("clean-calls-to-reset")
                        || key.equals("max-cpu-seconds")
                        || key.equals("max-consecutive-failures")
                        || key.equals("max-output-bytes")
                ? Integer.valueOf(value)
                : null;
        return new SandboxConfig(
                null,
                key.equals("max-heap") ? value : null,
                key.equals("call-timeout-millis") ? i : null,
                key.equals("start-timeout-millis") ? i : null,
                key.equals("max-consecutive-failures") ? i : null,
                key.equals("max-output-bytes") ? i : null,
                key.equals("max-jar-bytes") ? Long.valueOf(value) : null,
                null,
                key.equals("fitness-weight") ? Double.valueOf(value) : null,
                key.equals("weights") ? java.util.Map.of("plugin-x", Double.valueOf(value)) : null,
                key.equals("scan-timeout-millis") ? i : null,
                key.equals("clean-calls-to-reset") ? i : null,
                key.equals("max-cpu-seconds") ? i : null);
    }
}
