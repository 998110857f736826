package dev.nexus.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.testing.ChildHost;
import dev.nexus.host.testing.TestHttp;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Nothing acknowledged is lost: a host process under concurrent chat load is killed with
 * {@code kill -9}, restarted on the same data, and every turn that was answered 200 before the kill
 * is there (the user message and the reply); turns the kill interrupted are {@code failed}, none is
 * left {@code pending}.
 */
@ParameterizedClass
@MethodSource(dev.nexus.host.testing.TestHost.DATABASES)
class CrashRecoveryTest {

    private static final int CLIENTS = 8;
    /** Answered turns to wait for before the kill: about two seconds of load on a busy 2-core machine. */
    private static final int TURNS_BEFORE_KILL = 150;

    @Parameter
    Database.Kind kind;

    /** One answered turn as the client saw it. */
    private record Answered(String conversation, String userMessage, String reply, String content) {}

    @Test
    void kill9UnderChatLoad_keepsEveryAnsweredTurnAndFailsTheInterruptedOnes() throws Exception {
        // Abandoned-after 0: on PostgreSQL the restarted host is the only one, so every pending turn is abandoned.
        ChildHost.Config config = ChildHost.Config.fresh(kind, Map.of("NEXUS_CHAT_ABANDONED_AFTER_SECONDS", "0"));
        try {
            Path persona = config.dataDir().resolve("personalities").resolve("zen-engineer");
            Files.createDirectories(persona);
            Files.copy(Path.of("..", "personalities", "zen-engineer", "persona.yaml"), persona.resolve("persona.yaml"));

            ConcurrentLinkedQueue<Answered> answered = new ConcurrentLinkedQueue<>();
            try (ChildHost child = ChildHost.start(config)) {
                TestHttp http = child.http();
                AtomicBoolean killed = new AtomicBoolean();
                try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int c = 0; c < CLIENTS; c++) {
                        int client = c;
                        clients.execute(() -> chatUntilKilled(http, client, answered, killed));
                    }
                    while (answered.size() < TURNS_BEFORE_KILL) {
                        Thread.sleep(10);
                    }
                    child.kill(); // SIGKILL while every client has a turn in flight
                    killed.set(true);
                }
            }

            try (ChildHost restarted = ChildHost.start(config)) {
                TestHttp http = restarted.http();
                Map<String, List<Answered>> byConversation =
                        answered.stream().collect(Collectors.groupingBy(Answered::conversation));
                List<String> lost = new ArrayList<>();
                int pending = 0;
                for (var entry : byConversation.entrySet()) {
                    Map<String, Map<String, Object>> stored = messages(http, entry.getKey());
                    pending += (int) stored.values().stream()
                            .filter(m -> "pending".equals(m.get("state")))
                            .count();
                    for (Answered turn : entry.getValue()) {
                        Map<String, Object> question = stored.get(turn.userMessage());
                        Map<String, Object> reply = stored.get(turn.reply());
                        if (question == null
                                || !"answered".equals(question.get("state"))
                                || reply == null
                                || !turn.content().equals(reply.get("content"))
                                || !turn.userMessage().equals(reply.get("inReplyTo"))) {
                            lost.add(turn.userMessage() + " (message "
                                    + (question == null ? "missing" : question.get("state")) + ", reply "
                                    + (reply == null ? "missing" : "present") + ")");
                        }
                    }
                }
                System.out.printf(
                        "[crash test %s] %d turns answered 200 before kill -9 in %d conversations; lost after restart: %d%n",
                        kind, answered.size(), byConversation.size(), lost.size());
                assertThat(lost)
                        .as("turns answered 200 before the kill but not stored after the restart")
                        .isEmpty();
                assertThat(pending)
                        .as("user messages still pending after the restart")
                        .isZero();
            }
        } finally {
            config.delete();
        }
    }

    private static void chatUntilKilled(
            TestHttp http, int client, ConcurrentLinkedQueue<Answered> answered, AtomicBoolean killed) {
        String conversation = null;
        for (int turn = 0; !killed.get(); turn++) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("personality", "zen-engineer");
            body.put("user", "crash-user-" + client);
            body.put("message", "message " + turn + " from client " + client + ": how do I keep a service calm?");
            if (conversation != null) {
                body.put("conversation", conversation);
            }
            HttpResponse<String> response;
            try {
                response = http.post("/v1/chat", Json.write(body));
            } catch (UncheckedIOException e) {
                return; // the host is gone: this turn was never acknowledged
            }
            if (response.statusCode() != 200) {
                continue;
            }
            Map<String, Object> result = Json.readMap(response.body());
            conversation = (String) result.get("conversation");
            @SuppressWarnings("unchecked")
            Map<String, Object> reply = (Map<String, Object>) result.get("message");
            @SuppressWarnings("unchecked")
            Map<String, Object> question = (Map<String, Object>) result.get("userMessage");
            answered.add(new Answered(conversation, (String) question.get("id"), (String) reply.get("id"), (String)
                    reply.get("content")));
        }
    }

    /** Returns every stored message of a conversation by id. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> messages(TestHttp http, String conversation) {
        Map<String, Map<String, Object>> all = new LinkedHashMap<>();
        String after = "";
        while (true) {
            HttpResponse<String> response =
                    http.get("/v1/conversations/" + conversation + "/messages?limit=500&after=" + after);
            assertThat(response.statusCode())
                    .as("conversation %s after the restart: %s", conversation, response.body())
                    .isEqualTo(200);
            List<Map<String, Object>> page =
                    (List<Map<String, Object>>) Json.readMap(response.body()).get("messages");
            page.forEach(message -> all.put((String) message.get("id"), message));
            if (page.size() < 500) {
                return all;
            }
            after = (String) page.get(page.size() - 1).get("id");
        }
    }
}
