package dev.nexus.host.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Time-aware memory through the real server on H2 and PostgreSQL (issue 16): a move supersedes the
 * old home (kept as history, shown by the inspector) and the next turn recalls the new one; a history
 * imported with dates answers date-filtered searches; imports are checked whole and idempotent.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class MemoryHistoryHttpTest {

    private static final String PERSONA = """
            {"id": "keeper", "name": "Keeper", "description": "A personality that remembers.", "greetings": ["Hello."]}""";

    @Parameter
    Database.Kind database;

    static TestHost host;
    static MutableClock clock;

    @BeforeParameterizedClassInvocation
    static void start(Database.Kind database) {
        clock = new MutableClock(Instant.parse("2024-03-01T12:00:00Z"));
        host = TestHost.builder().database(database).clock(clock).start();
        assertThat(host.http().post("/v1/personalities", PERSONA).statusCode()).isEqualTo(201);
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        host.close();
    }

    @SuppressWarnings("unchecked")
    private static <T> T field(HttpResponse<String> response, int status, String name) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return (T) TestHttp.json(response).get(name);
    }

    private static Map<String, Object> chat(String user, String message) {
        HttpResponse<String> response = host.http()
                .post("/v1/chat", Json.write(Map.of("personality", "keeper", "user", user, "message", message)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttp.json(response);
    }

    private static List<Map<String, Object>> facts(String user, boolean history) throws InterruptedException {
        return field(host.http().get("/v1/memory/facts?user=" + user + "&history=" + history), 200, "facts");
    }

    private static List<Map<String, Object>> waitForFact(String user, String text) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            List<Map<String, Object>> all = facts(user, true);
            if (all.stream().anyMatch(f -> f.get("fact").equals(text))) {
                return all;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no fact '" + text + "' for " + user + ": " + facts(user, true));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aMove_supersedesTheOldHome_theNextTurnRecallsTheNewOne_andTheInspectorShowsTheHistory() throws Exception {
        String user = "mover-" + database;
        chat(user, "I live in Tromsø");
        waitForFact(user, "The user lives in Tromsø");
        clock.advance(Duration.ofDays(31));
        chat(user, "I moved to Oslo");
        List<Map<String, Object>> all = waitForFact(user, "The user lives in Oslo");

        Map<String, Object> tromso = all.stream()
                .filter(f -> f.get("fact").equals("The user lives in Tromsø"))
                .findFirst()
                .orElseThrow();
        Map<String, Object> oslo = all.stream()
                .filter(f -> f.get("fact").equals("The user lives in Oslo"))
                .findFirst()
                .orElseThrow();
        assertThat(tromso)
                .containsEntry("current", false)
                .containsEntry("supersededBy", oslo.get("id"))
                .containsEntry("validUntil", oslo.get("occurredAt"));
        assertThat(facts(user, false))
                .extracting(f -> f.get("fact"))
                .contains("The user lives in Oslo")
                .doesNotContain("The user lives in Tromsø");

        Map<String, Object> next = chat(user, "Where do I live now?");
        List<String> recalled = (List<String>)
                ((Map<String, Object>) ((Map<String, Object>) next.get("metadata")).get("recalled")).get("memories");
        assertThat(recalled).contains((String) oslo.get("id")).doesNotContain((String) tromso.get("id"));

        HttpResponse<String> inspected = host.http().get("/v1/memory/facts/" + oslo.get("id"));
        assertThat(inspected.statusCode()).as(inspected.body()).isEqualTo(200);
        Map<String, Object> record = TestHttp.json(inspected);
        assertThat((List<Map<String, Object>>) record.get("versions"))
                .extracting(v -> v.get("fact"))
                .containsExactly("The user lives in Tromsø", "The user lives in Oslo");
        assertThat((Map<String, Object>) record.get("provenance"))
                .containsEntry("source", "conversation")
                .containsKey("message");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aHistoryImportedWithDates_answersDateFilteredSearches_andIsIdempotentByExternalId() {
        String user = "importer-" + database;
        String body = Json.write(Map.of(
                "user",
                user,
                "facts",
                List.of(
                        Map.of(
                                "fact",
                                "Ran the Bergen half marathon",
                                "category",
                                "event",
                                "occurredAt",
                                "2023-05-14",
                                "externalId",
                                "t1",
                                "metadata",
                                Map.of("session", "S3")),
                        Map.of(
                                "fact",
                                "Went to a half marathon expo with a friend",
                                "category",
                                "event",
                                "occurredAt",
                                "2023-08-02T10:00:00Z",
                                "externalId",
                                "t2"),
                        Map.of(
                                "fact",
                                "Watched a half marathon on television",
                                "occurredAt",
                                "2024-01-10T10:00:00Z",
                                "externalId",
                                "t3",
                                "pinned",
                                true))));
        HttpResponse<String> imported = host.http().post("/v1/memory/import", body);
        assertThat(this.<Integer>field(imported, 200, "count")).isEqualTo(3);

        String q = URLEncoder.encode("What did I do in May 2023?", StandardCharsets.UTF_8);
        List<Map<String, Object>> dated =
                field(host.http().get("/v1/memory/search?user=" + user + "&q=" + q), 200, "results");
        assertThat(dated).first().satisfies(r -> assertThat(r.get("text")).isEqualTo("Ran the Bergen half marathon"));

        List<Map<String, Object>> ranged = field(
                host.http()
                        .get("/v1/memory/search?user=" + user
                                + "&q=half+marathon&since=2023-07-01T00:00:00Z&until=2023-12-31T00:00:00Z"),
                200,
                "results");
        assertThat(ranged).extracting(r -> r.get("text")).containsExactly("Went to a half marathon expo with a friend");

        HttpResponse<String> again = host.http().post("/v1/memory/import", body);
        assertThat(this.<List<Map<String, Object>>>field(again, 200, "facts"))
                .extracting(f -> f.get("externalId"))
                .containsExactly("t1", "t2", "t3");
        List<Map<String, Object>> stored = field(host.http().get("/v1/memory/facts?user=" + user), 200, "facts");
        assertThat(stored).hasSize(3);
        assertThat(stored)
                .filteredOn(f -> "t1".equals(f.get("externalId")))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.get("occurredAt")).isEqualTo("2023-05-14T00:00:00Z");
                    assertThat(f.get("metadata")).isEqualTo(Map.of("session", "S3"));
                });
        assertThat(stored)
                .filteredOn(f -> "t3".equals(f.get("externalId")))
                .singleElement()
                .satisfies(f -> assertThat(f.get("pinned")).isEqualTo(true));
    }

    @Test
    void anImportWithOneBadEntry_is400NamingIt_andStoresNothing() {
        String user = "bad-importer-" + database;
        HttpResponse<String> response = host.http()
                .post(
                        "/v1/memory/import",
                        Json.write(Map.of(
                                "user",
                                user,
                                "facts",
                                List.of(
                                        Map.of("fact", "Fine fact", "occurredAt", "2023-05-14"),
                                        Map.of("fact", "Bad date", "occurredAt", "last Tuesday")))));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat((String) TestHttp.json(response).get("detail"))
                .contains("facts[1].occurredAt")
                .contains("2023-05-14");
        assertThat(this.<List<?>>field(host.http().get("/v1/memory/facts?user=" + user), 200, "facts"))
                .isEmpty();
    }

    @Test
    void anotherUsersFact_cannotBeInspected() {
        String owner = "owner-" + database;
        String id = field(
                host.http().post("/v1/memory/facts", Json.write(Map.of("user", owner, "fact", "The user keeps bees"))),
                201,
                "id");
        HttpResponse<String> key = host.http()
                .post(
                        "/v1/keys",
                        Json.write(
                                Map.of("name", "intruder", "scopes", List.of("user"), "user", "intruder-" + database)));
        assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
        TestHttp intruder = host.http().withKey((String) TestHttp.json(key).get("secret"));

        assertThat(intruder.get("/v1/memory/facts/" + id).statusCode()).isIn(403, 404);
        assertThat(host.http().get("/v1/memory/facts/" + id).statusCode()).isEqualTo(200);
    }
}
