package dev.nexus.host.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule extraction that keeps the subject and the day, through the real server on H2 and PostgreSQL
 * (issue 16, items 4 and 5): "I went to the support group yesterday" is an event of the user's
 * yesterday in their time zone; what the user says of their sister is a fact about her, attached to
 * her in the relationship graph ({@code GET /v1/memory/people}) even when a later turn does not name her.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class EventsAndPeopleHttpTest {

    private static final String PERSONA = """
            {"id": "keeper", "name": "Keeper", "description": "A personality that remembers.", "greetings": ["Hello."]}""";

    @Parameter
    Database.Kind database;

    static TestHost host;

    @BeforeParameterizedClassInvocation
    static void start(Database.Kind database) {
        // 20:00 UTC on 1 March is already 2 March, 09:00, in Auckland.
        host = TestHost.builder()
                .database(database)
                .clock(new MutableClock(Instant.parse("2024-03-01T20:00:00Z")))
                .start();
        assertThat(host.http().post("/v1/personalities", PERSONA).statusCode()).isEqualTo(201);
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        host.close();
    }

    private static void chat(String user, String message) {
        HttpResponse<String> response = host.http()
                .post("/v1/chat", Json.write(Map.of("personality", "keeper", "user", user, "message", message)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> facts(String user) {
        HttpResponse<String> response = host.http().get("/v1/memory/facts?user=" + user);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (List<Map<String, Object>>) TestHttp.json(response).get("facts");
    }

    /** Background extraction has no completion signal over HTTP; poll the facts (no timed assertion). */
    private static Map<String, Object> waitForFact(String user, Predicate<String> text) throws InterruptedException {
        for (int i = 0; i < 400; i++) {
            for (Map<String, Object> fact : facts(user)) {
                if (text.test((String) fact.get("fact"))) {
                    return fact;
                }
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no such fact for " + user + ": " + facts(user));
    }

    @Test
    void anEventToldInChat_isDatedToTheUsersYesterday_inTheirTimeZone() throws Exception {
        String user = "grouper-" + database;
        HttpResponse<String> profile = host.http()
                .put(
                        "/v1/memory/profile/" + user,
                        Json.write(Map.of("displayName", "", "attributes", Map.of("timeZone", "Pacific/Auckland"))));
        assertThat(profile.statusCode()).as(profile.body()).isEqualTo(200);

        chat(user, "I went to the support group yesterday");

        Map<String, Object> event = waitForFact(user, t -> t.startsWith("The user went to the support group"));
        assertThat(event)
                .containsEntry("fact", "The user went to the support group on 2024-03-01")
                .containsEntry("category", "event")
                .containsEntry("occurredAt", "2024-02-29T11:00:00Z");
        assertThat(event).doesNotContainKey("about");
    }

    @Test
    @SuppressWarnings("unchecked")
    void factsAboutTheUsersSister_attachToHerInTheRelationshipGraph() throws Exception {
        String user = "sibling-" + database;
        chat(user, "My sister Ana is a nurse");
        waitForFact(user, "The user's sister Ana is a nurse"::equals);
        chat(user, "My sister got engaged to Tomas last weekend");
        Map<String, Object> engaged = waitForFact(user, t -> t.startsWith("The user's sister got engaged to Tomas"));

        assertThat(engaged).containsEntry("about", Map.of("relation", "sister", "name", "Ana"));
        assertThat(facts(user)).extracting(f -> f.get("fact")).noneMatch(t -> ((String) t).startsWith("The user is"));

        HttpResponse<String> graph = host.http().get("/v1/memory/people?user=" + user);
        assertThat(graph.statusCode()).as(graph.body()).isEqualTo(200);
        List<Map<String, Object>> people =
                (List<Map<String, Object>>) TestHttp.json(graph).get("people");
        assertThat(people).singleElement().satisfies(ana -> {
            assertThat(ana).containsEntry("relation", "sister").containsEntry("name", "Ana");
            assertThat((List<Map<String, Object>>) ana.get("facts"))
                    .extracting(f -> (String) f.get("fact"))
                    .containsExactlyInAnyOrder("The user's sister Ana is a nurse", (String) engaged.get("fact"));
        });
    }
}
