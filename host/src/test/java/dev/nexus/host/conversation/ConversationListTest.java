package dev.nexus.host.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.AccessDeniedException;
import dev.nexus.host.auth.Caller;
import dev.nexus.host.auth.Scope;
import dev.nexus.host.db.Database;
import dev.nexus.host.http.HttpServer;
import dev.nexus.host.http.ServerConfig;
import dev.nexus.host.llm.LanguageModels;
import dev.nexus.host.llm.LlmSettings;
import dev.nexus.host.testing.TestDatabase;
import dev.nexus.host.testing.TestDatabases;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code GET /v1/conversations}: a user's own conversations, on H2 and PostgreSQL, over a real server. */
@ParameterizedClass
@MethodSource(TestDatabases.KINDS)
class ConversationListTest {

    private final TestDatabase db;
    private HttpServer server;
    private TestHttp alice;
    private TestHttp bob;
    private TestHttp admin;

    ConversationListTest(Database.Kind database) {
        this.db = TestDatabases.of(database);
    }

    @BeforeEach
    void start() {
        ConversationService service = new ConversationService(
                db.database(),
                Personalities.withZen(),
                Recall.none(),
                List.of(),
                LanguageModels.create(LlmSettings.offlineDefaults(), new SplittableRandom(1)),
                new ChatSettings(2000, null, null, null, null, null),
                Clock.systemUTC(),
                Runnable::run);
        Map<String, Caller> callers = Map.of(
                "alice-key", new Caller("ka", "alice", Set.of(Scope.USER), Optional.of("alice")),
                "bob-key", new Caller("kb", "bob", Set.of(Scope.USER), Optional.of("bob")),
                "admin-key", new Caller("kz", "admin", Set.of(Scope.ADMIN)));
        server = HttpServer.start(
                new ServerConfig("127.0.0.1", 0, "unused", null),
                secret -> {
                    Caller caller = callers.get(secret);
                    if (caller == null) {
                        throw AccessDeniedException.unauthenticated("unknown key");
                    }
                    return caller;
                },
                new ChatRoutes(service).routes());
        alice = new TestHttp(server.baseUri(), "alice-key");
        bob = alice.withKey("bob-key");
        admin = alice.withKey("admin-key");
    }

    @AfterEach
    void stop() {
        server.close();
        db.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void list_showsOnlyTheKeysOwnConversations_mostRecentFirst_withTitleAndCount() {
        String first = chat(alice, "First question about backpressure");
        String second = chat(alice, "Second question");
        chat(alice, "A follow-up in the second", second);
        chat(bob, "Bob's own question");

        Map<String, Object> listed = TestHttp.json(alice.get("/v1/conversations"));
        assertThat(listed.get("user")).isEqualTo("alice");
        List<Map<String, Object>> conversations = (List<Map<String, Object>>) listed.get("conversations");
        assertThat(conversations).extracting(c -> c.get("id")).containsExactly(second, first);
        assertThat(conversations.get(0))
                .containsEntry("title", "Second question")
                .containsEntry("messages", 5)
                .containsEntry("personality", "zen-engineer")
                .containsEntry("user", "alice");

        assertThat((List<?>)
                        TestHttp.json(alice.get("/v1/conversations?limit=1")).get("conversations"))
                .hasSize(1);
        assertThat((List<?>) TestHttp.json(alice.get("/v1/conversations?personality=someone-else"))
                        .get("conversations"))
                .isEmpty();
        assertThat((List<?>) TestHttp.json(bob.get("/v1/conversations")).get("conversations"))
                .hasSize(1);
    }

    @Test
    void list_namingAnotherUser_isForbiddenForUserKeys_andAllowedForAdmins() {
        chat(alice, "Hello there");

        HttpResponse<String> forbidden = bob.get("/v1/conversations?user=alice");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.body()).contains("alice");
        assertThat((List<?>)
                        TestHttp.json(admin.get("/v1/conversations?user=alice")).get("conversations"))
                .hasSize(1);
        assertThat(TestHttp.json(admin.get("/v1/conversations")).get("user"))
                .as("an unbound admin lists its own principal")
                .isEqualTo("key:kz");
        assertThat(alice.get("/v1/conversations?limit=0").statusCode()).isEqualTo(400);
    }

    private static String chat(TestHttp http, String message) {
        return chat(http, message, null);
    }

    private static String chat(TestHttp http, String message, String conversation) {
        HttpResponse<String> response = http.post(
                "/v1/chat",
                "{\"personality\":\"zen-engineer\",\"message\":\"" + message + "\""
                        + (conversation == null ? "" : ",\"conversation\":\"" + conversation + "\"") + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (String) TestHttp.json(response).get("conversation");
    }
}
