package dev.nexus.host.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.llm.FakeOpenAiServer;
import dev.nexus.host.testing.PluginJar;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tool loop on the real host: a plugin jar with a low-risk and a high-risk tool, the OpenAI wire
 * protocol spoken by a local fake server that scripts the model's tool calls. One host for the class
 * (tests run in order of their own, each looks only at the requests it caused).
 */
@SuppressWarnings("unchecked")
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class ChatToolsTest {

    /** The backend this invocation runs on (also handed to {@code start}). */
    @Parameter
    Database.Kind database;

    @TempDir
    static Path root;

    /** This invocation's files: one folder per database. */
    static Path dir;

    static FakeOpenAiServer fake;
    static TestHost host;
    int before;

    static String tool(String cls, String name, String risk, String schema, String body) {
        return """
                package weather;
                import dev.nexus.api.PluginContext;
                import dev.nexus.api.tool.*;
                @org.pf4j.Extension
                public class %s implements Tool {
                    public ToolSpec spec() { return new ToolSpec("%s", "test tool %s", "%s", RiskLevel.%s); }
                    public ToolResult invoke(ToolCall call) { %s }
                }
                """.formatted(cls, name, name, schema.replace("\"", "\\\""), risk, body);
    }

    @BeforeParameterizedClassInvocation
    static void start(Database.Kind database) throws IOException {
        dir = root.resolve(database.name());
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJar.builder("weather")
                .source(
                        "weather.Forecast",
                        tool(
                                "Forecast",
                                "forecast",
                                "LOW",
                                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"],\"additionalProperties\":false}",
                                "return new ToolResult.Success(\"sunny in \" + call.string(\"city\").orElse(\"?\"), \"text/plain\");"))
                .source(
                        "weather.Send",
                        tool(
                                "Send",
                                "send_mail",
                                "HIGH",
                                "{\"type\":\"object\"}",
                                "return new ToolResult.Success(\"sent\", \"text/plain\");"))
                .extension("weather.Forecast")
                .extension("weather.Send")
                .build(plugins);
        Path personalities =
                Files.createDirectories(dir.resolve("personalities").resolve("zen-engineer"));
        Files.copy(
                Path.of("..", "personalities", "zen-engineer", "persona.yaml"), personalities.resolve("persona.yaml"));
        fake = FakeOpenAiServer.start();
        host = TestHost.builder()
                .database(database)
                .env("NEXUS_PLUGINS_DIRECTORY", plugins.toString())
                .env("NEXUS_PERSONALITIES_DIR", personalities.getParent().toString())
                .env("NEXUS_LLM_BASE_URL", fake.baseUrl())
                .env("NEXUS_LLM_API_KEY", "local")
                .env("NEXUS_LLM_MODEL", "llama3.2")
                .env("NEXUS_CHAT_MAX_TOOL_ROUNDS", "2")
                .start();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        if (host != null) {
            host.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    @BeforeEach
    void mark() {
        before = fake.requests().size();
    }

    private List<FakeOpenAiServer.Recorded> sent() {
        List<FakeOpenAiServer.Recorded> all = fake.requests();
        return all.subList(before, all.size());
    }

    private static Map<String, Object> chat(String message) {
        HttpResponse<String> response = host.http()
                .post(
                        "/v1/chat",
                        "{\"personality\":\"zen-engineer\",\"user\":\"ada\",\"message\":\"" + message + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttp.json(response);
    }

    private static List<Map<String, Object>> tools(Map<String, Object> turn) {
        return (List<Map<String, Object>>) ((Map<String, Object>) turn.get("metadata")).get("tools");
    }

    private static Map<String, Object> last(List<Map<String, Object>> messages) {
        return messages.get(messages.size() - 1);
    }

    @Test
    void chat_whenTheModelCallsATool_runsItAndSendsTheResultBack() {
        fake.enqueue(
                new FakeOpenAiServer.ToolCall("forecast", "{\"city\":\"Lisbon\"}"),
                FakeOpenAiServer.reply("Sunny in Lisbon today."));

        Map<String, Object> turn = chat("Weather in Lisbon?");

        assertThat((Map<String, Object>) turn.get("message")).containsEntry("content", "Sunny in Lisbon today.");
        assertThat(tools(turn))
                .singleElement()
                .satisfies(use -> assertThat(use)
                        .containsEntry("round", 1)
                        .containsEntry("name", "forecast")
                        .containsEntry("outcome", "done")
                        .containsEntry("arguments", "{\"city\":\"Lisbon\"}")
                        .containsEntry("resultChars", "sunny in Lisbon".length()));
        List<FakeOpenAiServer.Recorded> sent = sent();
        assertThat(sent).hasSize(2);
        assertThat((List<Map<String, Object>>) sent.get(0).body().get("tools"))
                .extracting(t -> ((Map<String, Object>) t.get("function")).get("name"))
                .containsExactlyInAnyOrder("forecast", "send_mail");
        List<Map<String, Object>> messages = sent.get(1).messages();
        Map<String, Object> asked = messages.get(messages.size() - 2);
        assertThat(asked).containsEntry("role", "assistant");
        assertThat((List<Map<String, Object>>) asked.get("tool_calls"))
                .singleElement()
                .satisfies(call -> {
                    assertThat(call).containsEntry("id", "call_1");
                    assertThat((Map<String, Object>) call.get("function")).containsEntry("name", "forecast");
                });
        assertThat(last(messages))
                .containsEntry("role", "tool")
                .containsEntry("tool_call_id", "call_1")
                .containsEntry("content", "sunny in Lisbon");

        String conversation = (String) turn.get("conversation");
        List<Map<String, Object>> stored = (List<Map<String, Object>>)
                TestHttp.json(host.http().get("/v1/conversations/" + conversation + "/messages"))
                        .get("messages");
        assertThat(stored).extracting(m -> m.get("role")).containsExactly("assistant", "user", "assistant");
        assertThat((List<Object>) ((Map<String, Object>) stored.get(2).get("metadata")).get("tools"))
                .hasSize(1);
    }

    @Test
    void chat_whenTheModelCallsAHighRiskTool_filesAPendingProposalAndTellsTheModelItWaits() {
        fake.enqueue(
                new FakeOpenAiServer.ToolCall("send_mail", "{\"to\":\"ann\"}"),
                FakeOpenAiServer.reply("Sending that mail is waiting for approval."));

        Map<String, Object> turn = chat("Mail Ann the notes.");

        assertThat((String) ((Map<String, Object>) turn.get("message")).get("content"))
                .contains("waiting for approval");
        Map<String, Object> use = tools(turn).get(0);
        assertThat(use).containsEntry("name", "send_mail").containsEntry("outcome", "awaiting-approval");
        String proposal = (String) use.get("proposal");
        List<Map<String, Object>> pending = (List<Map<String, Object>>)
                TestHttp.json(host.http().get("/v1/proposals?state=pending")).get("proposals");
        assertThat(pending)
                .filteredOn(p -> proposal.equals(p.get("id")))
                .singleElement()
                .satisfies(
                        p -> assertThat((Map<String, Object>) p.get("payload")).containsEntry("tool", "send_mail"));
        assertThat((String) last(sent().get(1).messages()).get("content"))
                .isEqualTo("This action needs a human's approval and has NOT been carried out yet (proposal " + proposal
                        + "). Tell the user it is waiting for approval.");
    }

    @Test
    void chat_whenTheModelSendsInvalidArguments_theModelSeesTheError() {
        fake.enqueue(
                new FakeOpenAiServer.ToolCall("forecast", "{\"city\":42}"),
                FakeOpenAiServer.reply("I could not check."));

        Map<String, Object> turn = chat("Weather in 42?");

        assertThat(tools(turn).get(0)).containsEntry("outcome", "failed");
        String error = (String) last(sent().get(1).messages()).get("content");
        assertThat(error)
                .startsWith("ERROR: invalid arguments for 'forecast': ")
                .contains("$.city: integer found, string expected");
        assertThat(tools(turn).get(0)).containsEntry("error", error);
    }

    @Test
    void chat_whenTheModelKeepsCallingTools_stopsAfterTheRoundLimitAndAsksForAFinalAnswerWithoutTools() {
        FakeOpenAiServer.ToolCall again = new FakeOpenAiServer.ToolCall("forecast", "{\"city\":\"Porto\"}");
        fake.enqueue(again, again, again, FakeOpenAiServer.reply("Enough checking: sunny."));

        Map<String, Object> turn = chat("Keep checking Porto.");

        assertThat((Map<String, Object>) turn.get("message")).containsEntry("content", "Enough checking: sunny.");
        assertThat(tools(turn)).extracting(use -> use.get("round")).containsExactly(1, 2);
        assertThat((Map<String, Object>) turn.get("metadata")).containsEntry("toolRoundsExceeded", true);
        List<FakeOpenAiServer.Recorded> sent = sent();
        assertThat(sent).hasSize(4);
        assertThat(sent.subList(0, 3))
                .allSatisfy(request -> assertThat(request.body()).containsKey("tools"));
        assertThat(sent.get(3).body()).doesNotContainKey("tools");
        assertThat(last(sent.get(3).messages()))
                .containsEntry("role", "system")
                .containsEntry("content", ToolLoop.LIMIT_NOTE);
        assertThat(sent.get(3).messages())
                .filteredOn(m -> "tool".equals(m.get("role")))
                .hasSize(2);
    }

    @Test
    void stream_withAToolCall_sendsAToolEventThenTheFinalAnswersTokens() {
        fake.enqueue(
                new FakeOpenAiServer.ToolCall("forecast", "{\"city\":\"Faro\"}"),
                FakeOpenAiServer.reply("Sunny ", "in Faro."));

        HttpResponse<String> response = host.http()
                .post(
                        "/v1/chat/stream",
                        "{\"personality\":\"zen-engineer\",\"user\":\"ada\",\"message\":\"Weather in Faro?\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> events = new ArrayList<>();
        List<Map<String, Object>> data = new ArrayList<>();
        String event = null;
        for (String line : response.body().split("\n")) {
            if (line.startsWith("event: ")) {
                event = line.substring(7);
                events.add(event);
            } else if (line.startsWith("data: ") && event != null) {
                data.add(Json.readMap(line.substring(6)));
            }
        }
        assertThat(events).containsExactly("start", "tool", "token", "token", "done");
        assertThat(data.get(1))
                .containsEntry("name", "forecast")
                .containsEntry("outcome", "done")
                .containsEntry("round", 1);
        assertThat(data.get(2).get("text") + "" + data.get(3).get("text")).isEqualTo("Sunny in Faro.");
        Map<String, Object> done = data.get(4);
        assertThat((Map<String, Object>) done.get("message")).containsEntry("content", "Sunny in Faro.");
        assertThat(tools(done)).singleElement().satisfies(use -> assertThat(use).containsEntry("outcome", "done"));
        assertThat(last(sent().get(1).messages()))
                .containsEntry("role", "tool")
                .containsEntry("content", "sunny in Faro");
    }

    @Test
    void approvingAWaitingCall_appendsItsResultAndTheModelGoesOnLiveOnTheConversationsEvents() throws Exception {
        fake.enqueue(
                new FakeOpenAiServer.ToolCall("send_mail", "{\"to\":\"ann\"}"),
                FakeOpenAiServer.reply("It waits for approval."));
        Map<String, Object> turn = chat("Mail Ann the notes.");
        String conversation = (String) turn.get("conversation");
        String proposal = (String) tools(turn).get(0).get("proposal");
        fake.enqueue(FakeOpenAiServer.reply("Done: ", "the mail to Ann is sent."));

        try (ConversationWatch watch = ConversationWatch.open(host, conversation)) {
            decide(proposal, "approve");

            List<Map<String, Object>> seen =
                    watch.until(e -> "message".equals(e.get("event")) && "assistant".equals(e.get("role")));
            assertThat(seen).extracting(e -> e.get("event")).containsExactly("message", "token", "token", "message");
            assertThat(seen.get(0)).containsEntry("role", "tool");
            assertThat(seen.get(1).get("text") + "" + seen.get(2).get("text"))
                    .isEqualTo("Done: the mail to Ann is sent.");
            assertThat(seen.get(3))
                    .containsEntry("content", "Done: the mail to Ann is sent.")
                    .containsEntry("inReplyTo", seen.get(0).get("id"));
        }
        List<Map<String, Object>> stored = messages(conversation);
        assertThat(stored)
                .extracting(m -> m.get("role"))
                .containsExactly("assistant", "user", "assistant", "tool", "assistant");
        assertThat((String) stored.get(3).get("content"))
                .isEqualTo(
                        "[Tool result] A reviewer approved your call to the tool 'send_mail', and it ran. Its result:\nsent");
        assertThat((Map<String, Object>) stored.get(3).get("metadata"))
                .containsEntry("proposal", proposal)
                .containsEntry("state", "applied")
                .containsEntry("outcome", "done")
                .containsKey("task")
                .containsEntry("after", ((Map<String, Object>) turn.get("message")).get("id"));
        List<Map<String, Object>> asked = sent().get(sent().size() - 1).messages();
        assertThat(asked)
                .as("the model reads the outcome as the user's latest turn (post-history instructions may follow)")
                .filteredOn(m -> "user".equals(m.get("role")))
                .last()
                .satisfies(m -> assertThat((String) m.get("content")).startsWith("[Tool result] A reviewer approved"));
    }

    @Test
    void rejectingAWaitingCall_tellsTheConversationWhyAndTheModelSaysSo() throws Exception {
        fake.enqueue(
                new FakeOpenAiServer.ToolCall("send_mail", "{\"to\":\"bob\"}"),
                FakeOpenAiServer.reply("It waits for approval."));
        Map<String, Object> turn = chat("Mail Bob the notes.");
        String conversation = (String) turn.get("conversation");
        String proposal = (String) tools(turn).get(0).get("proposal");
        fake.enqueue(FakeOpenAiServer.reply("Sorry, the mail was not approved."));

        try (ConversationWatch watch = ConversationWatch.open(host, conversation)) {
            decide(proposal, "reject");
            watch.until(e -> "message".equals(e.get("event")) && "assistant".equals(e.get("role")));
        }

        List<Map<String, Object>> stored = messages(conversation);
        assertThat(stored)
                .extracting(m -> m.get("role"))
                .containsExactly("assistant", "user", "assistant", "tool", "assistant");
        assertThat((String) stored.get(3).get("content"))
                .isEqualTo("[Tool result] A reviewer rejected your call to the tool "
                        + "'send_mail', so it did not run. Their reason: not today. Tell the user.");
        assertThat(stored.get(4)).containsEntry("content", "Sorry, the mail was not approved.");
        // Deciding again changes nothing: the conversation went on once.
        assertThat(host.http()
                        .post("/v1/proposals/" + proposal + "/reject", "{\"reason\":\"not today\"}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(messages(conversation)).hasSize(5);
    }

    private static void decide(String proposal, String how) {
        String sha = (String)
                TestHttp.json(host.http().get("/v1/proposals/" + proposal)).get("sha256");
        String body = how.equals("approve")
                ? "{\"sha256\":\"" + sha + "\",\"reason\":\"fine\"}"
                : "{\"reason\":\"not today\"}";
        HttpResponse<String> decided = host.http().post("/v1/proposals/" + proposal + "/" + how, body);
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
    }

    private static List<Map<String, Object>> messages(String conversation) {
        return (List<Map<String, Object>>)
                TestHttp.json(host.http().get("/v1/conversations/" + conversation + "/messages"))
                        .get("messages");
    }

    /** An open {@code GET /v1/conversations/{id}/events} stream, read line by line. */
    private record ConversationWatch(java.io.BufferedReader lines, java.io.InputStream body) implements AutoCloseable {

        static ConversationWatch open(TestHost host, String conversation) throws Exception {
            HttpResponse<java.io.InputStream> response = java.net.http.HttpClient.newHttpClient()
                    .send(
                            host.http()
                                    .request("/v1/conversations/" + conversation + "/events")
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            var lines = new java.io.BufferedReader(
                    new java.io.InputStreamReader(response.body(), java.nio.charset.StandardCharsets.UTF_8));
            assertThat(lines.readLine()).isEqualTo(": watching");
            return new ConversationWatch(lines, response.body());
        }

        /** Reads events (data plus an "event" entry) until one matches; fails after 60 s without it. */
        List<Map<String, Object>> until(java.util.function.Predicate<Map<String, Object>> last) throws Exception {
            return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        List<Map<String, Object>> seen = new ArrayList<>();
                        String event = null;
                        try {
                            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                                if (line.startsWith("event: ")) {
                                    event = line.substring(7);
                                } else if (line.startsWith("data: ") && event != null) {
                                    Map<String, Object> data =
                                            new java.util.LinkedHashMap<>(Json.readMap(line.substring(6)));
                                    data.put("event", event);
                                    seen.add(data);
                                    if (last.test(data)) {
                                        return seen;
                                    }
                                }
                            }
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        throw new AssertionError("the stream ended; events seen: " + seen);
                    })
                    .get(60, java.util.concurrent.TimeUnit.SECONDS);
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }
}
