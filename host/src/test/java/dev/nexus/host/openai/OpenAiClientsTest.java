package dev.nexus.host.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatResponseMetadata;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real OpenAI clients against a real host on port 0 with the bundled personalities and the offline
 * model: the official {@code openai} npm package (run by Node) and langchain4j's OpenAI models.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class OpenAiClientsTest {

    /** The backend this invocation runs on (also handed to {@code start}). */
    @Parameter
    Database.Kind database;

    static TestHost host;

    @BeforeAll
    static void installClient() throws Exception {
        NodeClient.install("openai");
    }

    @BeforeParameterizedClassInvocation
    static void start(Database.Kind database) {
        host = TestHost.builder()
                .database(database)
                .yaml("personalities: {directory: '"
                        + Path.of("..", "personalities").toAbsolutePath().normalize() + "'}")
                .start();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        host.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void openaiNpmClient_listsPersonalities_chats_andStreamsInOneConversation() throws Exception {
        Map<String, Object> out = Json.readMap(
                NodeClient.node("openai-client.mjs", host.baseUrl() + "/v1", host.adminKey(), "zen-engineer"));

        List<Map<String, Object>> models = (List<Map<String, Object>>) out.get("models");
        assertThat(models).extracting(m -> m.get("id")).contains("zen-engineer", "wry-historian", "patient-teacher");
        assertThat(models).allSatisfy(m -> {
            assertThat(m.get("object")).isEqualTo("model");
            assertThat(m.get("owned_by")).isEqualTo("nexus");
            assertThat(((Number) m.get("created")).longValue()).isPositive();
        });

        Map<String, Object> chat = (Map<String, Object>) out.get("chat");
        assertThat(chat.get("object")).isEqualTo("chat.completion");
        assertThat(chat.get("model")).isEqualTo("zen-engineer");
        assertThat(chat.get("role")).isEqualTo("assistant");
        assertThat(chat.get("finish")).isEqualTo("stop");
        assertThat((String) chat.get("content")).isNotBlank();
        Map<String, Object> usage = (Map<String, Object>) chat.get("usage");
        assertThat(((Number) usage.get("total_tokens")).intValue())
                .isEqualTo(((Number) usage.get("prompt_tokens")).intValue()
                        + ((Number) usage.get("completion_tokens")).intValue())
                .isPositive();

        Map<String, Object> stream = (Map<String, Object>) out.get("stream");
        List<Map<String, Object>> chunks = (List<Map<String, Object>>) stream.get("chunks");
        assertThat(chunks).allSatisfy(c -> assertThat(c.get("object")).isEqualTo("chat.completion.chunk"));
        assertThat(chunks)
                .extracting(c -> c.get("id"))
                .containsOnly(chunks.get(0).get("id"));
        Map<String, Object> firstChoice =
                ((List<Map<String, Object>>) chunks.get(0).get("choices")).get(0);
        assertThat(((Map<String, Object>) firstChoice.get("delta")).get("role")).isEqualTo("assistant");
        Map<String, Object> last = chunks.get(chunks.size() - 1);
        assertThat((List<?>) last.get("choices")).isEmpty();
        assertThat(((Map<String, Object>) last.get("usage")).get("completion_tokens"))
                .isNotNull();
        Map<String, Object> finish =
                ((List<Map<String, Object>>) chunks.get(chunks.size() - 2).get("choices")).get(0);
        assertThat(finish.get("finish")).isEqualTo("stop");
        assertThat(chunks.size()).isGreaterThan(3);
        String streamed = (String) stream.get("text");
        assertThat(streamed).isNotBlank();

        // One conversation holds both turns; the history the client resent was not stored again.
        assertThat(stream.get("conversation")).isEqualTo(chat.get("conversation"));
        Map<String, Object> messages = conversation((String) chat.get("conversation"));
        List<Map<String, Object>> stored = (List<Map<String, Object>>) messages.get("messages");
        assertThat(stored)
                .extracting(m -> m.get("role"))
                .containsExactly("assistant", "user", "assistant", "user", "assistant");
        assertThat(stored.get(2).get("content")).isEqualTo(chat.get("content"));
        assertThat(stored.get(4).get("content")).isEqualTo(streamed);
        assertThat(stored.get(4).get("id")).isEqualTo(stream.get("message"));
        assertThat(messages.get("user")).isEqualTo("node-user");

        Map<String, Object> error = (Map<String, Object>) out.get("error");
        assertThat(error.get("status")).isEqualTo(404);
        assertThat(error.get("code")).isEqualTo("model_not_found");
        assertThat(error.get("param")).isEqualTo("model");
        assertThat((String) error.get("message"))
                .contains("no-such-personality")
                .contains("GET /v1/models");
    }

    @Test
    void langchain4jOpenAiModels_chatAndStream_withAPersonality() throws Exception {
        OpenAiChatModel model = OpenAiChatModel.builder()
                .baseUrl(host.baseUrl() + "/v1")
                .apiKey(host.adminKey())
                .modelName("wry-historian")
                .timeout(Duration.ofSeconds(30))
                .maxRetries(0)
                .build();
        ChatResponse answer = model.chat(UserMessage.from("Tell me about the printing press."));
        assertThat(answer.aiMessage().text()).isNotBlank();
        assertThat(answer.tokenUsage().totalTokenCount()).isPositive();
        assertThat(answer.metadata().modelName()).isEqualTo("wry-historian");
        String first = nexusConversation(((OpenAiChatResponseMetadata) answer.metadata())
                .rawHttpResponse()
                .body());
        assertThat(conversation(first).get("personality")).isEqualTo("wry-historian");

        OpenAiStreamingChatModel streaming = OpenAiStreamingChatModel.builder()
                .baseUrl(host.baseUrl() + "/v1")
                .apiKey(host.adminKey())
                .modelName("patient-teacher")
                .timeout(Duration.ofSeconds(30))
                .build();
        StringBuilder tokens = new StringBuilder();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        streaming.chat("How do fractions work?", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                tokens.append(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse streamed = done.get(60, TimeUnit.SECONDS);
        assertThat(tokens.toString())
                .isNotBlank()
                .isEqualTo(streamed.aiMessage().text());
        String last = ((OpenAiChatResponseMetadata) streamed.metadata())
                .rawServerSentEvents().stream()
                        .map(ServerSentEvent::data)
                        .filter(data -> data.contains("\"nexus\""))
                        .findFirst()
                        .orElseThrow();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> stored = (List<Map<String, Object>>)
                conversation(nexusConversation(last)).get("messages");
        assertThat(stored).hasSize(3); // the greeting, then one turn
        assertThat(stored.get(2).get("content")).isEqualTo(tokens.toString());
    }

    /** Reads a stored conversation through the Nexus API. */
    private static Map<String, Object> conversation(String id) {
        var response = host.http().get("/v1/conversations/" + id + "/messages");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttp.json(response);
    }

    @SuppressWarnings("unchecked")
    private static String nexusConversation(String json) {
        return (String) ((Map<String, Object>) Json.readMap(json).get("nexus")).get("conversation");
    }
}
