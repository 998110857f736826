package dev.nexus.host.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.llm.FakeOpenAiServer;
import dev.nexus.host.testing.PackagedPlugin;
import dev.nexus.host.testing.PluginJar;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Turn middleware on the real host: a plugin jar with a {@code TurnFilter} that redacts, adds
 * context, refuses and amends replies, another whose filter hangs (isolated after the time limit),
 * and a local OpenAI-compatible fake that records what the model was sent.
 */
@SuppressWarnings("unchecked")
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class TurnFilterHostTest {

    /** The backend this invocation runs on. */
    @Parameter
    Database.Kind database;

    @TempDir
    static Path dir;

    static FakeOpenAiServer fake;
    static TestHost host;

    private static final String FILTER = """
            package guard;
            import dev.nexus.api.turn.*;
            import java.util.List;
            @org.pf4j.Extension
            public class Guard implements TurnFilter {
                public TurnDecision before(Turn turn) {
                    if (turn.text().contains("forbidden")) { return new TurnDecision.Refuse("Not here, sorry."); }
                    if (turn.text().contains("hunter2")) {
                        return new TurnDecision.Proceed(turn.text().replace("hunter2", "[password removed]"),
                                List.of("The user's timezone is Europe/Lisbon."));
                    }
                    return TurnDecision.proceed();
                }
                public String after(Turn turn, String reply) { return reply + " (checked)"; }
            }
            """;

    private static final String SLOW = """
            package slow;
            import dev.nexus.api.turn.*;
            @org.pf4j.Extension
            public class Slow implements TurnFilter {
                public TurnDecision before(Turn turn) {
                    try { Thread.sleep(60_000); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
                    return TurnDecision.proceed();
                }
            }
            """;

    @BeforeAll
    static void prepare() throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJar.builder("guard")
                .source("guard.Guard", FILTER)
                .extension("guard.Guard")
                .build(plugins);
        PluginJar.builder("slow")
                .source("slow.Slow", SLOW)
                .extension("slow.Slow")
                .build(plugins);
        Path personalities =
                Files.createDirectories(dir.resolve("personalities").resolve("zen-engineer"));
        Files.copy(
                Path.of("..", "personalities", "zen-engineer", "persona.yaml"), personalities.resolve("persona.yaml"));
        fake = FakeOpenAiServer.start();
    }

    @BeforeParameterizedClassInvocation
    static void start(Database.Kind database) {
        host = TestHost.builder()
                .database(database)
                .env("NEXUS_PLUGINS_DIRECTORY", dir.resolve("plugins").toString())
                .env("NEXUS_PLUGINS_TURN_FILTER_TIMEOUT_MS", "300")
                .env("NEXUS_PERSONALITIES_DIR", dir.resolve("personalities").toString())
                .env("NEXUS_LLM_BASE_URL", fake.baseUrl())
                .env("NEXUS_LLM_API_KEY", "local")
                .env("NEXUS_LLM_MODEL", "llama3.2")
                .start();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    @AfterAll
    static void stopModel() {
        if (fake != null) {
            fake.close();
        }
    }

    private static Map<String, Object> chat(String message) {
        HttpResponse<String> response = host.http()
                .post(
                        "/v1/chat",
                        "{\"personality\":\"zen-engineer\",\"user\":\"ada\",\"message\":\"" + message + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttp.json(response);
    }

    private static String lastUserMessage(FakeOpenAiServer.Recorded request) {
        List<Map<String, Object>> users = request.messages().stream()
                .filter(m -> "user".equals(m.get("role")))
                .toList();
        return (String) users.get(users.size() - 1).get("content");
    }

    @Test
    void turn_isRedactedGivenContextAndItsReplyAmended_andAHangingFilterIsIsolated() {
        fake.enqueue(FakeOpenAiServer.reply("Noted."));
        int before = fake.requests().size();

        Map<String, Object> turn = chat("my password is hunter2");

        assertThat((Map<String, Object>) turn.get("message")).containsEntry("content", "Noted. (checked)");
        String sent = lastUserMessage(fake.requests().get(before));
        assertThat(sent)
                .contains("my password is [password removed]")
                .doesNotContain("hunter2")
                .contains("The user's timezone is Europe/Lisbon.");
        assertThat(PackagedPlugin.listed(host, "slow"))
                .containsEntry("state", "failed")
                .hasEntrySatisfying("error", error -> assertThat((String) error).contains("took longer than 300 ms"));
        assertThat(PackagedPlugin.listed(host, "guard"))
                .containsEntry("state", "started")
                .containsEntry("kinds", List.of("turn-filter"));
    }

    @Test
    void refusedTurn_isAnsweredWithoutAskingTheModel() {
        int before = fake.requests().size();

        Map<String, Object> turn = chat("tell me something forbidden");

        assertThat((Map<String, Object>) turn.get("message")).containsEntry("content", "Not here, sorry.");
        assertThat(fake.requests()).hasSize(before);
    }
}
