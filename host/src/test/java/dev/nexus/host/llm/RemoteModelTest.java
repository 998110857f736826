package dev.nexus.host.llm;

import static dev.nexus.host.llm.FakeOpenAiServer.failure;
import static dev.nexus.host.llm.FakeOpenAiServer.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.ToolSpec;
import dev.nexus.host.DependencyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RemoteModelTest {

    private static final String KEY = "sk-test-secret-key";

    private final FakeOpenAiServer fake = FakeOpenAiServer.start();
    private final List<Duration> pauses = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        fake.close();
    }

    private RemoteModel openAi(int attempts, Duration timeout) {
        RetryPolicy retry = new RetryPolicy(
                attempts, Duration.ofMillis(100), Duration.ofSeconds(1), pauses::add, new SplittableRandom(7));
        return Providers.build(
                new Providers.Target("openai", fake.baseUrl(), KEY, "fake-model", 0.2, timeout, 256), retry);
    }

    private RemoteModel openAi() {
        return openAi(3, Duration.ofSeconds(10));
    }

    private static ModelRequest request(String message) {
        return ModelRequest.of(
                "You are a test personality.",
                List.of(
                        ModelMessage.user("earlier question"),
                        ModelMessage.assistant("earlier answer"),
                        ModelMessage.user(message)));
    }

    @Test
    void chat_returnsTextUsageAndFinishReason_andSendsSystemPromptFirst() {
        fake.enqueue(reply("Hello ", "there."));

        ModelReply answer = openAi().chat(request("hi"));

        assertThat(answer.text()).isEqualTo("Hello there.");
        assertThat(answer.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(answer.usage().output()).isPositive();
        assertThat(answer.offline()).isFalse();
        assertThat(answer.model()).isEqualTo(new ModelDescription("openai", "fake-model", fake.baseUrl(), false));
        FakeOpenAiServer.Recorded sent = fake.requests().get(0);
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.headers()).containsEntry("authorization", "Bearer " + KEY);
        assertThat(sent.body()).containsEntry("model", "fake-model");
        assertThat(sent.messages())
                .extracting(m -> m.get("role"))
                .containsExactly("system", "user", "assistant", "user");
        assertThat(sent.messages().get(0)).containsEntry("content", "You are a test personality.");
        assertThat(sent.messages().get(3)).containsEntry("content", "hi");
    }

    @Test
    void stream_deliversTokensInOrder_andTheCompleteReply() {
        fake.enqueue(reply("One", " two", " three."));
        List<String> tokens = new ArrayList<>();

        ModelReply answer = openAi().stream(request("count"), token -> tokens.add(token));

        assertThat(tokens).containsExactly("One", " two", " three.");
        assertThat(answer.text()).isEqualTo("One two three.");
        assertThat(answer.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(fake.requests().get(0).body()).containsEntry("stream", true);
    }

    @Test
    void chat_when429ThenSuccess_retriesAfterABackoff() {
        fake.enqueue(failure(429, "{\"error\":{\"message\":\"slow down\"}}"), reply("Made it."));

        ModelReply answer = openAi().chat(request("hi"));

        assertThat(answer.text()).isEqualTo("Made it.");
        assertThat(fake.requests()).hasSize(2);
        assertThat(pauses).hasSize(1);
        assertThat(pauses.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    }

    @Test
    void chat_when500OnEveryAttempt_throwsRetriableFailureNamingTheModel_withoutTheKey() {
        fake.enqueue(
                failure(500, "{\"error\":\"boom\"}"),
                failure(500, "{\"error\":\"boom\"}"),
                failure(500, "{\"error\":\"boom\"}"));

        assertThatThrownBy(() -> openAi().chat(request("hi")))
                .isInstanceOfSatisfying(
                        DependencyException.class,
                        e -> assertThat(e.retriable()).isTrue())
                .hasMessageContaining("openai model 'fake-model' at " + fake.baseUrl())
                .hasMessageContaining("after 3 attempts")
                .hasMessageContaining("HTTP 500 (server error)")
                .hasMessageNotContaining(KEY);
        assertThat(fake.requests()).hasSize(3);
        assertThat(pauses).hasSize(2);
        assertThat(pauses.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void chat_when400_failsAtOnceWithoutRetry_notRetriable() {
        fake.enqueue(failure(400, "{\"error\":{\"message\":\"bad request\"}}"));

        assertThatThrownBy(() -> openAi().chat(request("hi")))
                .isInstanceOfSatisfying(
                        DependencyException.class,
                        e -> assertThat(e.retriable()).isFalse())
                .hasMessageContaining("after 1 attempt:")
                .hasMessageContaining("HTTP 400 (bad request)")
                .hasMessageContaining("check llm.model, llm.api-key and llm.base-url");
        assertThat(fake.requests()).hasSize(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void chat_when401EchoesTheKey_messageHidesIt() {
        fake.enqueue(failure(401, "{\"error\":\"Incorrect API key provided: " + KEY + "\"}"));

        assertThatThrownBy(() -> openAi().chat(request("hi")))
                .isInstanceOfSatisfying(
                        DependencyException.class,
                        e -> assertThat(e.retriable()).isFalse())
                .hasMessageContaining("authentication failed")
                .hasMessageNotContaining(KEY);
    }

    @Test
    void chat_whenServerIsTooSlow_timesOutAsRetriable() {
        fake.enqueue(new FakeOpenAiServer.Delay(Duration.ofSeconds(30), reply("too late")));

        assertThatThrownBy(() -> openAi(1, Duration.ofMillis(300)).chat(request("hi")))
                .isInstanceOfSatisfying(
                        DependencyException.class,
                        e -> assertThat(e.retriable()).isTrue())
                .hasMessageContaining("timed out");
    }

    @Test
    void chat_whenNothingListens_failsAsRetriableConnectionError() {
        String deadUrl = fake.baseUrl();
        fake.close();
        RetryPolicy retry = new RetryPolicy(2, Duration.ZERO, Duration.ZERO, pauses::add, new SplittableRandom(1));
        RemoteModel model = Providers.build(
                new Providers.Target("openai", deadUrl, KEY, "m", 0.2, Duration.ofSeconds(2), 64), retry);

        assertThatThrownBy(() -> model.chat(request("hi")))
                .isInstanceOfSatisfying(
                        DependencyException.class,
                        e -> assertThat(e.retriable()).isTrue())
                .hasMessageContaining("at " + deadUrl)
                .hasMessageContaining("after 2 attempts");
    }

    @Test
    void stream_when503BeforeAnyToken_retries() {
        fake.enqueue(failure(503, "{}"), reply("Second", " try."));
        List<String> tokens = new ArrayList<>();

        ModelReply answer = openAi().stream(request("hi"), tokens::add);

        assertThat(answer.text()).isEqualTo("Second try.");
        assertThat(tokens).containsExactly("Second", " try.");
        assertThat(fake.requests()).hasSize(2);
    }

    @Test
    void stream_whenConnectionBreaksAfterTokens_failsWithoutRetrying() {
        fake.enqueue(new FakeOpenAiServer.Broken(List.of("Half", " a")), reply("never sent"));
        List<String> tokens = new ArrayList<>();

        assertThatThrownBy(() -> openAi().stream(request("hi"), tokens::add))
                .isInstanceOf(DependencyException.class)
                .hasMessageContaining("openai model 'fake-model'");
        assertThat(tokens).containsExactly("Half", " a");
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void stream_whenSinkRefuses_cancelsAndReturnsWhatWasSent() throws InterruptedException {
        List<String> chunks = new ArrayList<>();
        // Long enough (20 s) that the server is still writing when the client goes away, however busy the machine.
        for (int i = 0; i < 4000; i++) {
            chunks.add(" w" + i);
        }
        fake.enqueue(new FakeOpenAiServer.Reply(chunks, "stop", Duration.ofMillis(5)));
        List<String> tokens = new ArrayList<>();

        ModelReply answer = openAi().stream(request("hi"), token -> tokens.add(token) && tokens.size() < 2);

        assertThat(answer.finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(answer.text()).isEqualTo(" w0 w1");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (fake.disconnects() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(fake.disconnects()).as("the server saw the client go away").isEqualTo(1);
    }

    @Test
    void chat_offersToolsAsFunctions_andReturnsToolCalls() {
        fake.enqueue(new FakeOpenAiServer.ToolCall("get_weather", "{\"city\":\"Oslo\"}"));
        ToolSpec weather = new ToolSpec(
                "get_weather",
                "Looks up the weather",
                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\",\"description\":\"the city\"}},\"required\":[\"city\"]}",
                RiskLevel.LOW);
        ModelRequest request = new ModelRequest(
                "sys", List.of(ModelMessage.user("weather in Oslo?")), List.of(weather), 0, Optional.empty());

        ModelReply answer = openAi().chat(request);

        assertThat(answer.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(answer.toolCalls())
                .containsExactly(new ToolCallRequest("call_1", "get_weather", "{\"city\":\"Oslo\"}"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tools =
                (List<Map<String, Object>>) fake.requests().get(0).body().get("tools");
        assertThat(tools).hasSize(1);
        assertThat(tools.get(0).toString())
                .contains("get_weather")
                .contains("city")
                .contains("the city");
    }

    @Test
    void ollamaNative_chat_usesApiChat() {
        fake.enqueue(reply("Native Ollama."));
        RetryPolicy retry = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, pauses::add, new SplittableRandom(1));
        RemoteModel model = Providers.build(
                new Providers.Target("ollama", fake.root(), "", "llama3.2", 0.2, Duration.ofSeconds(5), 64), retry);

        ModelReply answer = model.chat(request("hi"));

        assertThat(answer.text()).isEqualTo("Native Ollama.");
        assertThat(answer.model().label()).isEqualTo("ollama model 'llama3.2' at " + fake.root());
        assertThat(fake.requests().get(0).path()).isEqualTo("/api/chat");
    }

    @Test
    void anthropic_chat_usesMessagesWithKeyHeader() {
        fake.enqueue(reply("Anthropic says hi."));
        RetryPolicy retry = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, pauses::add, new SplittableRandom(1));
        RemoteModel model = Providers.build(
                new Providers.Target("anthropic", fake.baseUrl(), KEY, "claude-test", 0.2, Duration.ofSeconds(5), 64),
                retry);

        ModelReply answer = model.chat(request("hi"));

        assertThat(answer.text()).isEqualTo("Anthropic says hi.");
        FakeOpenAiServer.Recorded sent = fake.requests().get(0);
        assertThat(sent.path()).isEqualTo("/v1/messages");
        assertThat(sent.headers()).containsEntry("x-api-key", KEY);
        assertThat(sent.body())
                .containsEntry("system", List.of(Map.of("type", "text", "text", "You are a test personality.")));
    }

    private RemoteModel ollama() {
        RetryPolicy retry = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, pauses::add, new SplittableRandom(1));
        return Providers.build(
                new Providers.Target("ollama", fake.root(), "", "llama3.2", 0.2, Duration.ofSeconds(30), 64), retry);
    }

    private RemoteModel anthropic() {
        RetryPolicy retry = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, pauses::add, new SplittableRandom(1));
        return Providers.build(
                new Providers.Target("anthropic", fake.baseUrl(), KEY, "claude-test", 0.2, Duration.ofSeconds(30), 64),
                retry);
    }

    private static ModelRequest weatherRequest() {
        ToolSpec weather = new ToolSpec(
                "get_weather",
                "Looks up the weather",
                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}",
                RiskLevel.LOW);
        return new ModelRequest(
                "sys", List.of(ModelMessage.user("weather in Oslo?")), List.of(weather), 0, Optional.empty());
    }

    @Test
    void ollamaNative_stream_readsNewlineDelimitedChunksAsTokens() {
        fake.enqueue(new FakeOpenAiServer.Reply(List.of("Calm", " and", " clear."), "stop", Duration.ZERO));
        List<String> tokens = new ArrayList<>();

        ModelReply answer = ollama().stream(request("hi"), tokens::add);

        assertThat(tokens).containsExactly("Calm", " and", " clear.");
        assertThat(answer.text()).isEqualTo("Calm and clear.");
        assertThat(answer.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(fake.requests().get(0).path()).isEqualTo("/api/chat");
        assertThat(fake.requests().get(0).body().get("stream")).isEqualTo(true);
    }

    @Test
    void ollamaNative_chat_returnsToolCallsWithObjectArgumentsAsJson() {
        fake.enqueue(new FakeOpenAiServer.ToolCall("get_weather", "{\"city\":\"Oslo\"}"));

        ModelReply answer = ollama().chat(weatherRequest());

        assertThat(answer.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(answer.toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("get_weather");
            assertThat(call.arguments()).isEqualToIgnoringWhitespace("{\"city\":\"Oslo\"}");
        });
        assertThat(fake.requests().get(0).body().get("tools").toString()).contains("get_weather");
    }

    @Test
    void ollamaNative_stream_returnsToolCalls() {
        fake.enqueue(new FakeOpenAiServer.ToolCall("get_weather", "{\"city\":\"Oslo\"}"));

        ModelReply answer = ollama().stream(weatherRequest(), token -> true);

        assertThat(answer.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(answer.toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("get_weather");
            assertThat(call.arguments()).isEqualToIgnoringWhitespace("{\"city\":\"Oslo\"}");
        });
    }

    @Test
    void anthropic_stream_readsNamedServerSentEventsAsTokens() {
        fake.enqueue(new FakeOpenAiServer.Reply(List.of("Measured", " words."), "stop", Duration.ZERO));
        List<String> tokens = new ArrayList<>();

        ModelReply answer = anthropic().stream(request("hi"), tokens::add);

        assertThat(tokens).containsExactly("Measured", " words.");
        assertThat(answer.text()).isEqualTo("Measured words.");
        assertThat(answer.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(fake.requests().get(0).path()).isEqualTo("/v1/messages");
        assertThat(fake.requests().get(0).body().get("stream")).isEqualTo(true);
    }

    @Test
    void anthropic_chat_returnsToolUseBlocksAsToolCalls() {
        fake.enqueue(new FakeOpenAiServer.ToolCall("get_weather", "{\"city\":\"Oslo\"}"));

        ModelReply answer = anthropic().chat(weatherRequest());

        assertThat(answer.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(answer.toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.id()).isEqualTo("call_1");
            assertThat(call.name()).isEqualTo("get_weather");
            assertThat(call.arguments()).isEqualToIgnoringWhitespace("{\"city\":\"Oslo\"}");
        });
        assertThat(fake.requests().get(0).body().get("tools").toString())
                .contains("get_weather")
                .contains("input_schema");
    }

    @Test
    void anthropic_stream_assemblesToolInputFromPartialJson() {
        fake.enqueue(new FakeOpenAiServer.ToolCall("get_weather", "{\"city\":\"Oslo\"}"));

        ModelReply answer = anthropic().stream(weatherRequest(), token -> true);

        assertThat(answer.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(answer.toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.id()).isEqualTo("call_1");
            assertThat(call.name()).isEqualTo("get_weather");
            assertThat(call.arguments()).isEqualToIgnoringWhitespace("{\"city\":\"Oslo\"}");
        });
    }
}
