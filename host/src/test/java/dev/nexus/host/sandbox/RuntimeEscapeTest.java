package dev.nexus.host.sandbox;

import static dev.nexus.host.sandbox.SandboxFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.sandbox.ScoreOutcome.Failed;
import dev.nexus.host.sandbox.ScoreOutcome.Kind;
import dev.nexus.host.sandbox.ScoreOutcome.Scored;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The escape suite, run-time half: hostile code that admission would refuse runs anyway (a lenient,
 * test-only admission lets it in), and the child JVM, its class-loader filter and the host's output
 * validation must stop it. Every attack runs in one reusable "chameleon" child (restarted only when
 * an attack kills it), next to a well-behaved plugin that must keep working throughout.
 */
class RuntimeEscapeTest {

    @TempDir
    static Path dir;

    private static FitnessSandbox sandbox;
    private static String chameleon;
    private static String good;

    @BeforeAll
    static void start() {
        sandbox = SandboxFixtures.lenientSandbox(SandboxFixtures.config(dir));
        PluginSources.goodJar(dir);
        PluginSources.chameleonJar(dir);
        for (AdmissionReport report : sandbox.refresh()) {
            sandbox.enable(report.sha256());
            if (report.fileName().equals("chameleon.jar")) {
                chameleon = report.sha256();
            } else {
                good = report.sha256();
            }
        }
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    /** After every attack: the other plugin and the attacker itself (restarted if need be) still work. */
    @AfterEach
    void othersUnaffected() {
        assertThat(sandbox.score(good, request("support", 2)))
                .isInstanceOfSatisfying(
                        Scored.class, s -> assertThat(s.values()).containsExactly(0.75, 0.5));
        assertThat(sandbox.score(chameleon, request("ok", 2))).isInstanceOf(Scored.class);
        assertThat(sandbox.plugin(chameleon)).get().satisfies(p -> {
            assertThat(p.state()).isEqualTo(SandboxState.ENABLED);
            assertThat(p.consecutiveFailures()).isZero();
        });
    }

    @Test
    void infiniteLoop_isKilledAtTheTimeoutAndTheChildRestarted() {
        ScoreOutcome outcome = sandbox.score(chameleon, request("loop", 2));

        assertFailed(outcome, Kind.TIMEOUT, "no reply to 'score' within 3000 ms; the child JVM was killed");
    }

    @Test
    void memoryBomb_hitsTheHeapCapAndTheChildExits() {
        ScoreOutcome outcome = sandbox.score(chameleon, request("bomb", 2));

        assertFailed(outcome, Kind.CRASH, "the child JVM died during 'score': it ran out of memory (heap cap 64m)");
    }

    @Test
    void systemExit_endsOnlyTheChild() {
        ScoreOutcome outcome = sandbox.score(chameleon, request("exit", 2));

        assertFailed(outcome, Kind.CRASH, "the child JVM died during 'score': exit code 3");
    }

    @Test
    void exitThroughAMethodReference_endsOnlyTheChild() {
        ScoreOutcome outcome = sandbox.score(chameleon, request("methodref", 2));

        assertFailed(outcome, Kind.CRASH, "exit code 3");
    }

    @Test
    void fileWrite_isStoppedByTheClassLoaderFilter() throws IOException {
        Path canary = dir.resolve("canary.txt");

        ScoreOutcome outcome = sandbox.score(chameleon, request("files:" + canary, 2));

        assertFailed(outcome, Kind.ERROR, "java.lang.NoClassDefFoundError: java/nio/file/");
        assertThat(canary).doesNotExist();
    }

    @Test
    void socket_isStoppedAndNothingConnects() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ScoreOutcome outcome = sandbox.score(chameleon, request("socket:" + server.getLocalPort(), 2));

            assertFailed(outcome, Kind.ERROR, "java.lang.NoClassDefFoundError: java/net/Socket");
            // A connection made during the call would already wait in the backlog.
            server.setSoTimeout(200);
            assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            io            | java.lang.NoClassDefFoundError: java/io/FileOutputStream
            thread        | java.lang.NoClassDefFoundError: java/lang/Thread
            executor      | java.lang.NoClassDefFoundError: java/util/concurrent/Executors
            exec          | java.lang.NoClassDefFoundError: java/lang/Runtime
            reflection    | java.lang.NoClassDefFoundError: java/lang/reflect/Method
            handles       | java.lang.NoClassDefFoundError: java/lang/invoke/MethodHandles
            instant       | java.lang.NoClassDefFoundError: java/time/Instant
            unsafe        | java.lang.NoClassDefFoundError: sun/misc/Unsafe
            serialization | java.lang.NoClassDefFoundError: java/io/
            print         | java.lang.NoClassDefFoundError: java/io/PrintStream
            nativecode    | java.lang.UnsatisfiedLinkError
            stackoverflow | java.lang.StackOverflowError
            randomfactory | java.lang.NoClassDefFoundError: java/util/random/RandomGeneratorFactory
            """)
    void deniedFamily_failsInsideTheChildWhichKeepsServing(String attack, String error) {
        ScoreOutcome outcome = sandbox.score(chameleon, request(attack, 2));

        assertFailed(outcome, Kind.ERROR, error);
    }

    @Test
    void classForName_cannotReachADeniedClass() {
        ScoreOutcome outcome = sandbox.score(chameleon, request("forname:java.lang.Runtime", 2));

        assertFailed(
                outcome,
                Kind.ERROR,
                "java.lang.ClassNotFoundException: java.lang.Runtime is not available in the Nexus sandbox");
    }

    @Test
    void getenv_seesAnEmptyEnvironment() {
        assertThat(System.getenv("PATH")).isNotNull();

        ScoreOutcome outcome = sandbox.score(chameleon, request("getenv:PATH", 2));

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        Scored.class, s -> assertThat(s.values()).containsExactly(0.4, 0.4));
    }

    @Test
    void stackTraceFloods_goToACappedSinkAndTheProtocolSurvives() {
        ScoreOutcome outcome = sandbox.score(chameleon, request("stacktraces", 2));

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        Scored.class, s -> assertThat(s.values()).containsExactly(0.5, 0.5));
    }

    @Test
    void hugeReply_isCutAtTheOutputCap() {
        ScoreOutcome outcome = sandbox.score(chameleon, request("huge", 2));

        assertFailed(outcome, Kind.INVALID_OUTPUT, "output too large: ");
        assertThat(((Failed) outcome).reason()).contains("bytes, the limit is 1048576");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            nan   | returned invalid output: score 0 is not a finite number: «NaN»
            range | returned invalid output: score 0 is 1.5, outside [0, 1]
            count | returned invalid output: expected 2 scores (one per candidate), got 3
            throw | threw «java.lang.IllegalStateException: boom»
            """)
    void badOutput_isRejectedOnTheHost(String attack, String reason) {
        ScoreOutcome outcome = sandbox.score(chameleon, request(attack, 2));

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        Failed.class, f -> assertThat(f.reason()).contains(reason));
    }

    @Test
    void repeatedFailures_disableThePluginWithTheLastReason(@TempDir Path other) {
        try (FitnessSandbox own = SandboxFixtures.lenientSandbox(SandboxFixtures.config(other))) {
            PluginSources.chameleonJar(other);
            String sha = own.refresh().getFirst().sha256();
            own.enable(sha);

            ScoreOutcome first = own.score(sha, request("nan", 1));
            ScoreOutcome good = own.score(sha, request("ok", 1));
            ScoreOutcome second = own.score(sha, request("nan", 1));
            ScoreOutcome third = own.score(sha, request("throw", 1));
            ScoreOutcome fourth = own.score(sha, request("range", 1));
            ScoreOutcome after = own.score(sha, request("ok", 1));

            assertThat(first)
                    .isInstanceOfSatisfying(
                            Failed.class, f -> assertThat(f.disabled()).isFalse());
            assertThat(good).isInstanceOf(Scored.class);
            assertThat(third)
                    .isInstanceOfSatisfying(
                            Failed.class, f -> assertThat(f.disabled()).isFalse());
            assertThat(second).isInstanceOf(Failed.class);
            assertThat(fourth)
                    .isInstanceOfSatisfying(
                            Failed.class, f -> assertThat(f.disabled()).isTrue());
            assertFailed(after, Kind.NOT_ENABLED, "is disabled, not enabled");
            assertThat(own.plugin(sha)).get().satisfies(p -> {
                assertThat(p.state()).isEqualTo(SandboxState.DISABLED);
                assertThat(p.reason())
                        .get()
                        .asString()
                        .startsWith(
                                "disabled after 3 failures (the count resets only after 1 clean calls in a row); last: ")
                        .contains("score 0 is 1.5, outside [0, 1]");
            });
        }
        assertThat(sandbox.enabled()).hasSize(2);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"parallel", "bag"})
    void threadsLeftRunningAfterTheCall_killTheChildAndCountAFailure(String attack) {
        ScoreOutcome outcome = sandbox.score(chameleon, request(attack, 2));

        assertFailed(outcome, Kind.LINGERING, "left work running after its call returned (");
        assertThat(((Failed) outcome).reason())
                .contains("thread(s) still alive after the call: ")
                .contains("the child JVM was killed");
        assertThat(sandbox.plugin(chameleon))
                .get()
                .satisfies(p -> assertThat(p.consecutiveFailures()).isEqualTo(1));
    }

    @Test
    void failingEveryOtherCall_stillDisablesThePlugin(@TempDir Path other) {
        try (FitnessSandbox own = SandboxFixtures.lenientSandbox(SandboxFixtures.strictConfig(other))) {
            PluginSources.chameleonJar(other);
            String sha = own.refresh().getFirst().sha256();
            own.enable(sha);

            for (int i = 0; i < 2; i++) {
                assertThat(own.score(sha, request("nan", 1)))
                        .isInstanceOfSatisfying(
                                Failed.class, f -> assertThat(f.disabled()).isFalse());
                assertThat(own.score(sha, request("ok", 1))).isInstanceOf(Scored.class);
                assertThat(own.score(sha, request("ok", 1))).isInstanceOf(Scored.class);
            }
            ScoreOutcome third = own.score(sha, request("range", 1));

            assertThat(third)
                    .isInstanceOfSatisfying(
                            Failed.class, f -> assertThat(f.disabled()).isTrue());
            assertThat(own.plugin(sha)).get().satisfies(p -> {
                assertThat(p.state()).isEqualTo(SandboxState.DISABLED);
                assertThat(p.reason())
                        .get()
                        .asString()
                        .startsWith("disabled after 3 failures (the count resets only after 3 clean calls in a row)");
            });
        }
    }

    @Test
    void threeCleanCallsInARow_resetTheFailureCount(@TempDir Path other) {
        try (FitnessSandbox own = SandboxFixtures.lenientSandbox(SandboxFixtures.strictConfig(other))) {
            PluginSources.chameleonJar(other);
            String sha = own.refresh().getFirst().sha256();
            own.enable(sha);

            own.score(sha, request("nan", 1));
            own.score(sha, request("nan", 1));
            for (int i = 0; i < 3; i++) {
                own.score(sha, request("ok", 1));
            }

            assertThat(own.plugin(sha)).get().satisfies(p -> {
                assertThat(p.consecutiveFailures()).isZero();
                assertThat(p.state()).isEqualTo(SandboxState.ENABLED);
            });
        }
    }

    @Test
    void aJarClaimingAnIdBoundToAnotherHash_isDisabledAndTheWeightStaysWithTheBinding(@TempDir Path other)
            throws Exception {
        SandboxConfig config = new SandboxConfig(
                other.toString(), null, 3_000, null, null, null, null, null, null, java.util.Map.of("good", 2.0));
        try (FitnessSandbox own = SandboxFixtures.lenientSandbox(config)) {
            PluginSources.goodJar(other);
            byte[] impostor = java.nio.file.Files.readAllBytes(other.resolve("good.jar"));
            java.util.Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
            try (var zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(impostor))) {
                for (var entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                    if (entry.getName().endsWith(".class")) {
                        entries.put(entry.getName(), zip.readAllBytes());
                    }
                }
            }
            entries.put("good/readme.txt", "same id, other jar".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            TestJars.write(other.resolve("z-impostor.jar"), "good.Good", entries);
            List<AdmissionReport> reports = own.refresh();
            String first = reports.get(0).sha256();
            String second = reports.get(1).sha256();
            own.enable(first);
            own.enable(second);

            ScoreOutcome bound = own.score(first, request("support", 2));
            ScoreOutcome claimed = own.score(second, request("support", 2));

            assertThat(bound).isInstanceOf(Scored.class);
            assertThat(claimed).isInstanceOfSatisfying(Failed.class, f -> {
                assertThat(f.kind()).isEqualTo(Kind.IDENTITY);
                assertThat(f.disabled()).isTrue();
                assertThat(f.reason())
                        .contains("claims id 'good', which is bound to another jar (" + first.substring(0, 12));
            });
            assertThat(own.plugin(second))
                    .get()
                    .satisfies(p -> assertThat(p.state()).isEqualTo(SandboxState.DISABLED));
            assertThat(own.externalFitness())
                    .singleElement()
                    .satisfies(f -> assertThat(f.weight()).isEqualTo(2.0));
        }
    }

    @Test
    void everyTestPluginClass_staysOutOfTheHostJvm() {
        for (String name : new String[] {"chameleon.Chameleon", "attack.exit.Plugin", "good.Good"}) {
            assertThatThrownBy(() -> Class.forName(name)).isInstanceOf(ClassNotFoundException.class);
        }
    }

    private static void assertFailed(ScoreOutcome outcome, Kind kind, String reason) {
        assertThat(outcome).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.kind()).isEqualTo(kind);
            assertThat(f.reason()).contains(reason);
            assertThat(f.disabled()).isFalse();
        });
    }
}
