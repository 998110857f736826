package dev.nexus.host.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.llm.FakeOpenAiServer;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The newcomer's path on the real host: a bundled personality, a chat turn offline, the same turn
 * streamed, a restart, and the conversation still there; then the same with an OpenAI-compatible
 * server configured by three values.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class ChatEndToEndTest {

    @Parameter
    Database.Kind database;

    private Path data;
    private Path personalities;

    @BeforeEach
    void copyTheZenEngineer() throws IOException {
        data = Files.createTempDirectory("nexus-e2e-data-");
        personalities = Files.createTempDirectory("nexus-e2e-personalities-");
        Files.createDirectories(personalities.resolve("zen-engineer"));
        Files.copy(
                Path.of("..", "personalities", "zen-engineer", "persona.yaml"),
                personalities.resolve("zen-engineer").resolve("persona.yaml"));
    }

    @AfterEach
    void delete() throws IOException {
        for (Path dir : List.of(data, personalities)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    private TestHost start(Map<String, String> env) {
        TestHost.Builder builder = TestHost.builder()
                .database(database)
                .dataDir(data)
                .env("NEXUS_PERSONALITIES_DIR", personalities.toString());
        env.forEach(builder::env);
        return builder.start();
    }

    @Test
    @SuppressWarnings("unchecked")
    void chatOffline_streamTheNextTurn_restart_andTheConversationIsStillThere() {
        String conversation;
        try (TestHost host = start(Map.of())) {
            assertThat(host.http().get("/v1/personalities").body()).contains("zen-engineer");

            Map<String, Object> first = TestHttp.json(
                    host.http()
                            .post(
                                    "/v1/chat",
                                    "{\"personality\":\"zen-engineer\",\"user\":\"ada\",\"message\":\"My deploy keeps failing and I am stressed.\"}"));
            conversation = (String) first.get("conversation");
            assertThat((Map<String, Object>) first.get("metadata")).containsEntry("offline", true);
            assertThat(first.get("personality")).isEqualTo(Map.of("id", "zen-engineer", "version", 1));
            assertThat((Map<String, Object>) first.get("traits")).containsEntry("verbosity", 0.25);

            HttpResponse<String> streamed = host.http()
                    .post(
                            "/v1/chat/stream",
                            "{\"personality\":\"zen-engineer\",\"user\":\"ada\"," + "\"conversation\":\"" + conversation
                                    + "\",\"message\":\"What should I look at first?\"}");
            assertThat(streamed.statusCode()).isEqualTo(200);
            assertThat(streamed.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
            List<String> events = new ArrayList<>();
            StringBuilder tokens = new StringBuilder();
            String done = null;
            String event = null;
            for (String line : streamed.body().split("\n")) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                    events.add(event);
                } else if (line.startsWith("data: ") && "token".equals(event)) {
                    tokens.append(Json.readMap(line.substring(6)).get("text"));
                } else if (line.startsWith("data: ") && "done".equals(event)) {
                    done = line.substring(6);
                }
            }
            assertThat(events.get(0)).isEqualTo("start");
            assertThat(events).contains("token").last().isEqualTo("done");
            Map<String, Object> message =
                    (Map<String, Object>) Json.readMap(done).get("message");
            assertThat(message.get("content")).isEqualTo(tokens.toString());
        }

        try (TestHost restarted = start(Map.of())) {
            Map<String, Object> page =
                    TestHttp.json(restarted.http().get("/v1/conversations/" + conversation + "/messages"));
            assertThat((List<Map<String, Object>>) page.get("messages"))
                    .extracting(m -> m.get("role"))
                    .containsExactly("assistant", "user", "assistant", "user", "assistant");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void whatTheUserSaidInOneConversation_isRecalledInTheNext() throws InterruptedException {
        try (TestHost host = start(Map.of())) {
            host.http()
                    .post(
                            "/v1/chat",
                            "{\"personality\":\"zen-engineer\",\"user\":\"ada\",\"message\":\"I live in Lisbon.\"}");
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            while (!host.http().get("/v1/memory/facts?user=ada").body().contains("Lisbon")
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }

            Map<String, Object> turn = TestHttp.json(
                    host.http()
                            .post(
                                    "/v1/chat",
                                    "{\"personality\":\"zen-engineer\",\"user\":\"ada\",\"message\":\"Where do I live again?\"}"));

            Map<String, Object> recalled =
                    (Map<String, Object>) ((Map<String, Object>) turn.get("metadata")).get("recalled");
            assertThat((List<String>) recalled.get("memories")).isNotEmpty();
            assertThat((String) ((Map<String, Object>) turn.get("message")).get("content"))
                    .contains("Lisbon");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void threeValuesConnectAnOpenAiCompatibleServer_andThePromptCarriesThePersonaAndItsTraits() {
        try (FakeOpenAiServer fake = FakeOpenAiServer.start();
                TestHost host = start(Map.of(
                        "NEXUS_LLM_BASE_URL",
                        fake.baseUrl(),
                        "NEXUS_LLM_API_KEY",
                        "local",
                        "NEXUS_LLM_MODEL",
                        "llama3.2"))) {
            fake.enqueue(FakeOpenAiServer.reply("Breathe. ", "Then read the first error."));

            Map<String, Object> turn = TestHttp.json(
                    host.http()
                            .post(
                                    "/v1/chat",
                                    "{\"personality\":\"zen-engineer\",\"user\":\"ada\",\"message\":\"My deploy keeps failing.\"}"));

            assertThat((Map<String, Object>) turn.get("message"))
                    .containsEntry("content", "Breathe. Then read the first error.");
            assertThat(turn.get("model")).isEqualTo("openai/llama3.2");
            assertThat((Map<String, Object>) turn.get("metadata")).containsEntry("offline", false);
            FakeOpenAiServer.Recorded sent = fake.requests().get(0);
            assertThat(sent.headers()).containsEntry("authorization", "Bearer local");
            assertThat((String) sent.messages().get(0).get("content"))
                    .contains("Zen Engineer")
                    .contains("How to respond:");
            List<Map<String, Object>> messages = sent.messages();
            assertThat(messages.get(messages.size() - 2))
                    .containsEntry("role", "user")
                    .containsEntry("content", "My deploy keeps failing.");
            assertThat(messages.get(messages.size() - 1)).containsEntry("role", "system");
        }
    }
}
