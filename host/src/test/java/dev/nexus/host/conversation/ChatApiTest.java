package dev.nexus.host.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.AccessDeniedException;
import dev.nexus.host.auth.Caller;
import dev.nexus.host.auth.Scope;
import dev.nexus.host.db.Database;
import dev.nexus.host.http.HttpServer;
import dev.nexus.host.http.ServerConfig;
import dev.nexus.host.json.Json;
import dev.nexus.host.llm.FakeOpenAiServer;
import dev.nexus.host.llm.LanguageModels;
import dev.nexus.host.llm.LlmSettings;
import dev.nexus.host.testing.TestDatabase;
import dev.nexus.host.testing.TestDatabases;
import dev.nexus.host.testing.TestHttp;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The chat API over a real server on port 0, with H2 and an in-memory personality registry. */
@ParameterizedClass
@MethodSource(TestDatabases.KINDS)
class ChatApiTest {

    private static final String KEY = "test-user-key";

    private final TestDatabase db;

    ChatApiTest(Database.Kind database) {
        this.db = TestDatabases.of(database);
    }

    private final FakeOpenAiServer fake = FakeOpenAiServer.start();
    private ConversationService service;
    private HttpServer server;
    private TestHttp http;

    private void start(LanguageModels models) {
        service = new ConversationService(
                db.database(),
                Personalities.withZen(),
                Recall.none(),
                List.of(),
                models,
                new ChatSettings(2000, null, null, null, null, null),
                Clock.systemUTC(),
                Runnable::run);
        server = HttpServer.start(
                new ServerConfig("127.0.0.1", 0, "unused", null),
                secret -> {
                    if (!KEY.equals(secret)) {
                        throw AccessDeniedException.unauthenticated("unknown key");
                    }
                    return new Caller("k1", "tester", Set.of(Scope.USER, Scope.ADMIN)); // names several users
                },
                new ChatRoutes(service).routes());
        http = new TestHttp(server.baseUri(), KEY);
    }

    private void startOffline() {
        start(LanguageModels.create(LlmSettings.offlineDefaults(), new SplittableRandom(1)));
    }

    private void startRemote() {
        start(LanguageModels.create(
                new LlmSettings("openai", fake.baseUrl(), "k", "fake-model", null, 5, 2, 0, null, null, null),
                new SplittableRandom(1)));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        fake.close();
        db.close();
    }

    private int storedMessages() {
        return db.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM messages")
                        .mapTo(Integer.class)
                        .one());
    }

    @Test
    @SuppressWarnings("unchecked")
    void chat_answersWithTheStoredReply_personalityVersion_traits_model_andOfflineMetadata() {
        startOffline();

        HttpResponse<String> response =
                http.post("/v1/chat", "{\"personality\":\"zen-engineer\",\"user\":\"ada\",\"message\":\"hello\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> body = TestHttp.json(response);
        assertThat(body).containsKeys("conversation", "message", "personality", "traits", "model", "metadata");
        Map<String, Object> message = (Map<String, Object>) body.get("message");
        assertThat(message).containsKeys("id", "createdAt").containsEntry("role", "assistant");
        // The turn that opened the conversation returns the greeting stored before the user's message.
        Map<String, Object> greeting = (Map<String, Object>) body.get("greeting");
        assertThat(greeting).containsEntry("role", "assistant").containsEntry("inReplyTo", "");
        assertThat((String) greeting.get("content")).startsWith("Welcome, ada.");
        assertThat((Map<String, Object>) greeting.get("metadata")).containsEntry("greeting", true);
        assertThat((String) message.get("content")).isNotBlank().doesNotContain("Welcome, ada.");
        assertThat(body.get("personality")).isEqualTo(Map.of("id", "zen-engineer", "version", 1));
        assertThat((Map<String, Object>) body.get("traits")).containsEntry("verbosity", 0.5);
        assertThat(body.get("model")).isEqualTo("offline/nexus-offline");
        assertThat((Map<String, Object>) body.get("metadata"))
                .containsEntry("offline", true)
                .containsEntry("recalled", Map.of("memories", List.of(), "knowledge", List.of()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void conversationMessages_listsTheTurnsInOrder_andPagesWithAfter() {
        startOffline();
        Map<String, Object> first = TestHttp.json(
                http.post("/v1/chat", "{\"personality\":\"zen-engineer\",\"user\":\"ada\",\"message\":\"one\"}"));
        String conversation = (String) first.get("conversation");
        http.post(
                "/v1/chat",
                "{\"personality\":\"zen-engineer\",\"user\":\"ada\",\"conversation\":\"" + conversation
                        + "\",\"message\":\"two\"}");

        Map<String, Object> all = TestHttp.json(http.get("/v1/conversations/" + conversation + "/messages"));
        List<Map<String, Object>> messages = (List<Map<String, Object>>) all.get("messages");
        assertThat(all).containsEntry("personality", "zen-engineer").containsEntry("user", "ada");
        assertThat(messages)
                .extracting(m -> m.get("role"))
                .containsExactly("assistant", "user", "assistant", "user", "assistant");
        assertThat(messages).extracting(m -> m.get("content")).element(3).isEqualTo("two");
        assertThat((String) messages.get(0).get("content")).startsWith("Welcome, ada.");
        assertThat(messages.get(2))
                .containsEntry("personality", Map.of("id", "zen-engineer", "version", 1))
                .containsKey("traits");

        String after = (String) messages.get(2).get("id");
        Map<String, Object> page =
                TestHttp.json(http.get("/v1/conversations/" + conversation + "/messages?after=" + after + "&limit=1"));
        assertThat((List<Map<String, Object>>) page.get("messages"))
                .extracting(m -> m.get("content"))
                .containsExactly("two");
    }

    @Test
    void badInput_getsAClearProblem_andStoresNothing() {
        startOffline();
        record Case(String body, int status, String detail) {}
        List<Case> cases = List.of(
                new Case(
                        "{\"personality\":\"nobody\",\"user\":\"ada\",\"message\":\"hi\"}",
                        404,
                        "unknown personality 'nobody'"),
                new Case(
                        "{\"personality\":\"zen-engineer\",\"user\":\"ada\",\"message\":\"\"}",
                        400,
                        "message must not be empty"),
                new Case(
                        "{\"personality\":\"zen-engineer\",\"user\":\"ada\",\"message\":\"" + "x".repeat(2001) + "\"}",
                        400,
                        "message is 2001 characters; the limit is 2000 (chat.max-message-chars)"),
                new Case(
                        "{\"personality\":\"zen-engineer\",\"user\":\"ada\",\"message\":[\"hi\"]}",
                        400,
                        "invalid value at 'message'"),
                new Case(
                        "{\"personality\":\"zen-engineer\",\"user\":\"ada\",\"message\":\"hi\",\"admin\":true}",
                        400,
                        "unknown field 'admin'"),
                new Case("{\"personality\":\"zen-engineer\",\"user\":\"ada\",\"mess", 400, "malformed JSON"),
                new Case("", 400, ""),
                new Case(
                        "{\"personality\":\"zen-engineer\",\"user\":\"ada\",\"conversation\":\"nope\",\"message\":\"hi\"}",
                        404,
                        "unknown conversation 'nope'"));
        for (Case bad : cases) {
            for (String path : List.of("/v1/chat", "/v1/chat/stream")) {
                HttpResponse<String> response = http.post(path, bad.body());
                assertThat(response.statusCode()).as(path + " " + bad.body()).isEqualTo(bad.status());
                assertThat(response.headers().firstValue("Content-Type"))
                        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
                assertThat((String) TestHttp.json(response).get("detail")).contains(bad.detail());
            }
        }
        assertThat(http.get("/v1/conversations/nope/messages").statusCode()).isEqualTo(404);
        assertThat(http.get("/v1/conversations/nope/messages?limit=ten").statusCode())
                .isEqualTo(400);
        assertThat(http.withKey("").post("/v1/chat", "{}").statusCode()).isEqualTo(401);
        assertThat(storedMessages()).isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void stream_sendsTokenEvents_thenADoneEventWithTheStoredMessage() throws Exception {
        startRemote();
        fake.enqueue(FakeOpenAiServer.reply("Breathe", " first,", " then", " debug."));

        List<String[]> events =
                sse("{\"personality\":\"zen-engineer\",\"user\":\"ada\",\"message\":\"help\"}", Integer.MAX_VALUE);

        assertThat(events).extracting(e -> e[0]).containsExactly("start", "token", "token", "token", "token", "done");
        StringBuilder text = new StringBuilder();
        events.stream()
                .filter(e -> e[0].equals("token"))
                .forEach(e -> text.append(Json.readMap(e[1]).get("text")));
        assertThat(text.toString()).isEqualTo("Breathe first, then debug.");
        Map<String, Object> done = Json.readMap(events.get(events.size() - 1)[1]);
        Map<String, Object> message = (Map<String, Object>) done.get("message");
        assertThat(message)
                .containsEntry("content", "Breathe first, then debug.")
                .containsEntry("role", "assistant");
        assertThat(done)
                .containsEntry("personality", Map.of("id", "zen-engineer", "version", 1))
                .containsEntry("model", "openai/fake-model");
        assertThat((Map<String, Object>) done.get("metadata"))
                .containsEntry("offline", false)
                .containsEntry("streamed", true);
        assertThat(service.message((String) message.get("id")))
                .hasValueSatisfying(m -> assertThat(m.content()).isEqualTo(text.toString()));
    }

    @Test
    void stream_whenTheModelFailsBeforeItsFirstToken_isAnOrdinary503Problem() {
        startRemote();
        fake.enqueue(FakeOpenAiServer.failure(500, "{}"), FakeOpenAiServer.failure(500, "{}"));

        HttpResponse<String> response =
                http.post("/v1/chat/stream", "{\"personality\":\"zen-engineer\",\"user\":\"ada\",\"message\":\"hi\"}");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat((String) TestHttp.json(response).get("detail"))
                .contains("openai model 'fake-model' at " + fake.baseUrl())
                .contains("HTTP 500");
        assertThat(storedMessages()).isEqualTo(2); // the greeting the conversation opened with, and the failed message
    }

    @Test
    void stream_whenTheModelBreaksAfterItsFirstTokens_endsWithAnErrorEvent_andKeepsTheMessageAsFailed()
            throws Exception {
        startRemote();
        fake.enqueue(new FakeOpenAiServer.Broken(List.of("Half", " a thought")));

        List<String[]> events =
                sse("{\"personality\":\"zen-engineer\",\"user\":\"ada\",\"message\":\"go on\"}", Integer.MAX_VALUE);

        assertThat(events).extracting(e -> e[0]).containsExactly("start", "token", "token", "error");
        Map<String, Object> error = Json.readMap(events.get(3)[1]);
        assertThat(error).containsEntry("status", 503).containsEntry("title", "Dependency unavailable");
        assertThat((String) error.get("detail")).contains("openai model 'fake-model'");
        String conversation = (String) Json.readMap(events.get(0)[1]).get("conversation");
        assertThat(service.messages(conversation, java.util.Optional.empty(), 10))
                .extracting(StoredMessage::role, StoredMessage::state)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("assistant", "complete"),
                        org.assertj.core.groups.Tuple.tuple("user", "failed"));
    }

    @Test
    void chat_whenTheModelRefusesTheRequest_isA502Problem() {
        startRemote();
        fake.enqueue(FakeOpenAiServer.failure(400, "{\"error\":\"context too long\"}"));

        HttpResponse<String> response =
                http.post("/v1/chat", "{\"personality\":\"zen-engineer\",\"user\":\"ada\",\"message\":\"hi\"}");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat((String) TestHttp.json(response).get("detail")).contains("HTTP 400 (bad request)");
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void stream_whenTheClientLeavesMidStream_theTurnIsStillCompletedAndStored_andNothingIsLeftRunning()
            throws Exception {
        startRemote();
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            chunks.add(" word" + i);
        }
        fake.enqueue(new FakeOpenAiServer.Reply(chunks, "stop", Duration.ofMillis(10)));

        List<String[]> events =
                sse("{\"personality\":\"zen-engineer\",\"user\":\"ada\",\"message\":\"long answer please\"}", 2);

        assertThat(events).extracting(e -> e[0]).containsExactly("start", "token");
        String conversation = (String) Json.readMap(events.get(0)[1]).get("conversation");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<StoredMessage> stored = List.of();
        while (System.nanoTime() < deadline) {
            stored = service.messages(conversation, java.util.Optional.empty(), 10);
            if (stored.size() == 3 && service.turnsInFlight() == 0) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(stored).extracting(StoredMessage::role).containsExactly("assistant", "user", "assistant");
        assertThat(stored.get(2).content()).isEqualTo(String.join("", chunks));
        assertThat(service.turnsInFlight()).isZero();
    }

    /** Posts to /v1/chat/stream over a raw socket and reads up to {@code max} events, then hangs up. */
    private List<String[]> sse(String json, int max) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        List<String[]> events = new ArrayList<>();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                            + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String status = in.readLine();
            assertThat(status).contains(" 200 ");
            String line;
            String event = null;
            Map<String, String> pending = new LinkedHashMap<>();
            while (events.size() < max && (line = in.readLine()) != null) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ") && event != null) {
                    pending.merge(event, line.substring(6), (a, b) -> a + "\n" + b);
                } else if (line.isEmpty() && event != null) {
                    events.add(new String[] {event, pending.remove(event)});
                    event = null;
                }
            }
        }
        return events;
    }
}
