package dev.nexus.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.testing.ChildHost;
import dev.nexus.host.testing.TestHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SIGTERM at any moment of start-up ends the process cleanly: exit status 0, "stopped" printed, no
 * JVM crash report, and the next start on the same data works. The points: just after the database
 * was migrated, while memory and knowledge are being set up, just after the server listens, and
 * while the bundled ONNX embedding model is loading (which used to crash the JVM with SIGSEGV in
 * {@code OrtSession.createSession}). On H2 and on PostgreSQL: one data directory and database per
 * backend serve every point, and the restart runs on that same database.
 */
@ParameterizedClass
@MethodSource(dev.nexus.host.testing.TestHost.DATABASES)
class StartupSigtermTest {

    /** The backend this invocation runs on (also handed to {@code data}). */
    @Parameter
    Database.Kind database;

    private static ChildHost.Config config;

    @BeforeParameterizedClassInvocation
    static void data(Database.Kind kind) throws IOException {
        config = ChildHost.Config.fresh(kind, Map.of());
        Path persona = config.dataDir().resolve("personalities").resolve("zen-engineer");
        Files.createDirectories(persona);
        Files.copy(Path.of("..", "personalities", "zen-engineer", "persona.yaml"), persona.resolve("persona.yaml"));
    }

    @AfterParameterizedClassInvocation
    static void delete() {
        if (config != null) {
            config.delete();
            config = null;
        }
    }

    @Test
    void sigterm_afterTheDatabaseIsMigrated_exitsCleanly() {
        stopAt("at schema version");
    }

    @Test
    void sigterm_whileMemoryIsSetUp_exitsCleanly() {
        stopAt("language model:");
    }

    @Test
    void sigterm_rightAfterListening_exitsCleanly() {
        stopAt("Nexus is running at");
    }

    @Test
    void sigterm_whileTheEmbeddingModelLoads_waitsForItAndExitsCleanly() {
        try (ChildHost child = ChildHost.start(config)) {
            TestHttp http = child.http();
            // The first turn asks for the embedding model, which then loads in the background.
            CompletableFuture<Integer> turn = CompletableFuture.supplyAsync(() -> {
                try {
                    return http.post(
                                    "/v1/chat",
                                    "{\"personality\":\"zen-engineer\",\"user\":\"ada\",\"message\":\"I like tea.\"}")
                            .statusCode();
                } catch (UncheckedIOException e) {
                    return -1;
                }
            });
            assertThat(child.awaitLine("loading the embedding model"))
                    .as(child.output())
                    .isTrue();
            child.terminate();
            assertCleanExit(child);
            assertThat(child.output()).contains("embedding model all-minilm-l6-v2-q loaded");
            assertThat(child.output())
                    .as("the host says which database serves it")
                    .contains(
                            database == Database.Kind.H2
                                    ? "single host: the embedded H2 database serves this one host"
                                    : "shares PostgreSQL with the hosts it finds there");
            // Answered, refused as the server stops, or (sent after it stopped listening) not connected: never a 500.
            assertThat(turn.join()).as("the first turn").isIn(200, 503, -1);
        }
        assertRestarts();
    }

    private static void stopAt(String line) {
        try (ChildHost child = ChildHost.launch(config)) {
            assertThat(child.awaitLine(line))
                    .as("the child printed '%s'; its output:%n%s", line, child.output())
                    .isTrue();
            child.terminate();
            assertCleanExit(child);
        }
    }

    private static void assertCleanExit(ChildHost child) {
        int status = child.awaitExit();
        assertThat(status)
                .as("exit status after SIGTERM; output:%n%s", child.output())
                .isZero();
        assertThat(child.output()).contains("nexus: stopped");
        try (Stream<Path> files = Files.list(config.dataDir())) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(name -> name.startsWith("hs_err")))
                    .as("JVM crash reports")
                    .isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What was stopped half-way starts again on the same data (the same PostgreSQL database), and answers. */
    private static void assertRestarts() {
        try (ChildHost again = ChildHost.start(config)) {
            HttpResponse<String> live = again.http().get("/health/live");
            assertThat(live.statusCode()).isEqualTo(200);
            config.postgresDatabase()
                    .ifPresent(name -> assertThat(again.output())
                            .as("the restart opened the database the stopped starts used")
                            .containsPattern("database jdbc:postgresql://\\S+/" + name
                                    + "\\b.* \\(POSTGRESQL\\) at schema version"));
        }
    }
}
