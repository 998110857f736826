package dev.nexus.host.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.llm.FakeOpenAiServer;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** A failing language model behind the OpenAI-compatible API: OpenAI-shaped errors, the message kept. */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class OpenAiModelFailureTest {

    /** The backend this invocation runs on. */
    @Parameter
    Database.Kind database;

    @Test
    @SuppressWarnings("unchecked")
    void aModelThatIsDown_isA503InOpenAisShape_plainAndStreamed_andTheRetryIsAnsweredOnceItIsBack() {
        try (FakeOpenAiServer fake = FakeOpenAiServer.start();
                TestHost host = TestHost.builder()
                        .database(database)
                        .yaml("personalities: {directory: '"
                                + Path.of("..", "personalities")
                                        .toAbsolutePath()
                                        .normalize() + "'}")
                        .env("NEXUS_LLM_BASE_URL", fake.baseUrl())
                        .env("NEXUS_LLM_API_KEY", "local")
                        .env("NEXUS_LLM_MODEL", "llama3.2")
                        .env("NEXUS_LLM_MAX_ATTEMPTS", "1")
                        .start()) {
            fake.enqueue(
                    FakeOpenAiServer.failure(503, "{\"error\":{\"message\":\"overloaded\"}}"),
                    FakeOpenAiServer.failure(503, "{\"error\":{\"message\":\"overloaded\"}}"));
            String body = "{\"model\":\"zen-engineer\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello?\"}]}";

            HttpResponse<String> plain = host.http().post("/v1/chat/completions", body);
            assertThat(plain.statusCode()).isEqualTo(503);
            assertThat((Map<String, Object>) TestHttp.json(plain).get("error"))
                    .containsEntry("type", "service_unavailable");

            HttpResponse<String> streamed = host.http()
                    .send(host.http()
                            .request("/v1/chat/completions")
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    body.replace("{\"model\"", "{\"stream\":true,\"model\""))));
            assertThat(streamed.statusCode()).isEqualTo(503);
            assertThat(streamed.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat((Map<String, Object>) TestHttp.json(streamed).get("error"))
                    .containsKeys("message", "type", "param", "code");

            // The user message stays stored, marked failed, in the conversation the error names.
            String conversation =
                    plain.headers().firstValue(OpenAiRoutes.CONVERSATION_HEADER).orElseThrow();
            java.util.List<Map<String, Object>> stored = (java.util.List<Map<String, Object>>)
                    TestHttp.json(host.http().get("/v1/conversations/" + conversation + "/messages"))
                            .get("messages");
            assertThat(stored)
                    .hasSize(2)
                    .last()
                    .satisfies(m -> assertThat(m).containsEntry("state", "failed")); // after the greeting

            fake.enqueue(FakeOpenAiServer.reply("Back again."));
            HttpResponse<String> again = host.http().post("/v1/chat/completions", body);
            assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
            assertThat(again.body()).contains("Back again.");
        }
    }
}
