package dev.nexus.host.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A memory recalled into a chat turn counts as retrieved once per turn, through the real server on H2 and
 * PostgreSQL: the count is written with the turn's reply (one transaction), so it is there as soon as
 * the answer is.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class RetrievalCountHttpTest {

    private static final String PERSONA = """
            {"id": "counter", "name": "Counter", "description": "A personality that remembers.", "greetings": ["Hello."]}""";

    @Parameter
    Database.Kind database;

    static TestHost host;

    @BeforeParameterizedClassInvocation
    static void start(Database.Kind database) {
        host = TestHost.builder().database(database).start();
        assertThat(host.http().post("/v1/personalities", PERSONA).statusCode()).isEqualTo(201);
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        host.close();
    }

    @Test
    void aFactRecalledIntoTwoTurns_isCountedTwice_byTheTimeEachAnswerArrives() {
        String user = "counted-" + database;
        HttpResponse<String> remembered = host.http()
                .post(
                        "/v1/memory/facts",
                        Json.write(Map.of("user", user, "fact", "The user is allergic to shellfish")));
        assertThat(remembered.statusCode()).as(remembered.body()).isEqualTo(201);
        String fact = (String) TestHttp.json(remembered).get("id");

        for (int turn = 1; turn <= 2; turn++) {
            HttpResponse<String> chat = host.http()
                    .post(
                            "/v1/chat",
                            Json.write(Map.of(
                                    "personality", "counter", "user", user, "message", "Any shellfish recipes?")));
            assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
            assertThat(recalledMemories(chat)).contains(fact);
            assertThat(retrievalCount(user, fact)).as("after turn " + turn).isEqualTo(turn);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> recalledMemories(HttpResponse<String> chat) {
        Map<String, Object> metadata = (Map<String, Object>) TestHttp.json(chat).get("metadata");
        return (List<String>) ((Map<String, Object>) metadata.get("recalled")).get("memories");
    }

    @SuppressWarnings("unchecked")
    private static int retrievalCount(String user, String fact) {
        HttpResponse<String> response = host.http().get("/v1/memory/facts?user=" + user);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ((List<Map<String, Object>>) TestHttp.json(response).get("facts"))
                .stream()
                        .filter(f -> fact.equals(f.get("id")))
                        .findFirst()
                        .map(f -> ((Number) f.get("retrievalCount")).intValue())
                        .orElseThrow();
    }
}
