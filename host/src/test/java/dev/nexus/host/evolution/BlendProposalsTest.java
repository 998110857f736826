package dev.nexus.host.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proposed personalities (issue 17, item 7) on the real host: from well-rated interactions the host
 * proposes a blend of the two best-rated personalities, which exists only once an approver approves
 * it; at most three wait at once; too little evidence and bad input are clear 4xx answers.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class BlendProposalsTest {

    @Parameter
    Database.Kind database;

    private static final String SAGE = """
            {"id": "sage", "name": "Sage", "description": "A wise friend.", "values": ["Honesty before comfort."],
             "style": ["Use plain words."], "traits": {"warmth": 0.9, "verbosity": {"value": 0.8, "evolvable": true}},
             "greetings": ["Hello, {{user}}."], "knowledge": []}""";
    private static final String SPARK = """
            {"id": "spark", "name": "Spark", "description": "A quick coach.", "values": ["Small steps compound."],
             "style": ["Be brief."], "traits": {"warmth": 0.5, "verbosity": 0.2, "humor": 0.7}}""";
    private static final String DULL = """
            {"id": "dull", "name": "Dull", "description": "Nobody's favourite.", "traits": {"warmth": 0.1}}""";

    @Test
    @SuppressWarnings("unchecked")
    void wellRatedInteractions_proposeABlend_thatExistsOnlyOnceApproved() {
        try (TestHost host = TestHost.start(database)) {
            TestHttp admin = host.http();
            for (String persona : List.of(SAGE, SPARK, DULL)) {
                assertThat(admin.post("/v1/personalities", persona).statusCode())
                        .isEqualTo(201);
            }
            // Too little evidence: nothing to blend yet, and nothing is filed.
            HttpResponse<String> early = admin.post("/v1/personalities/blends", "{}");
            assertThat(early.statusCode()).as(early.body()).isEqualTo(409);
            assertThat(early.body()).contains("nothing to blend yet").doesNotContain("Exception");

            rate(admin, "sage", 5, 6); // mean 1.0 over 6
            rate(admin, "spark", 4, 5); // mean 0.75 over 5
            rate(admin, "dull", 1, 8); // mean 0.0: never a source

            HttpResponse<String> proposed = admin.post("/v1/personalities/blends", "{}");
            assertThat(proposed.statusCode()).as(proposed.body()).isEqualTo(201);
            Map<String, Object> proposal = TestHttp.json(proposed);
            assertThat(proposal)
                    .containsEntry("kind", "personality-blend")
                    .containsEntry("subject", "sage-x-spark")
                    .containsEntry("state", "pending");
            Map<String, Object> payload = (Map<String, Object>) proposal.get("payload");
            List<Map<String, Object>> sources =
                    (List<Map<String, Object>>) ((Map<String, Object>) payload.get("evidence")).get("sources");
            assertThat(sources).extracting(s -> s.get("personality")).containsExactly("sage", "spark");
            Map<String, Object> blend = (Map<String, Object>) payload.get("personality");
            assertThat(blend).containsEntry("name", "Sage × Spark");
            // Traits are averaged by how well each source was rated: sage weighs 6 x 1.0, spark 5 x 0.75.
            double warmth = traitValue(blend, "warmth");
            assertThat(warmth).isCloseTo((0.9 * 6 + 0.5 * 3.75) / 9.75, org.assertj.core.data.Offset.offset(0.001));
            assertThat(traitValue(blend, "humor")).isEqualTo(0.7);
            assertThat((List<String>) blend.get("values"))
                    .containsExactly("Honesty before comfort.", "Small steps compound.");
            List<List<Map<String, Object>>> examples = (List<List<Map<String, Object>>>) blend.get("examples");
            assertThat(examples)
                    .hasSize(6)
                    .allSatisfy(example ->
                            assertThat(example).extracting(t -> t.get("role")).containsExactly("user", "assistant"));
            assertThat(examples)
                    .extracting(e -> e.get(0).get("text"))
                    .contains("Question 0 for sage", "Question 0 for spark");

            assertThat(admin.get("/v1/personalities/sage-x-spark").statusCode())
                    .as("never created on its own")
                    .isEqualTo(404);
            Map<String, Object> key =
                    TestHttp.json(admin.post("/v1/keys", "{\"name\":\"reviewer\",\"scopes\":[\"approver\"]}"));
            HttpResponse<String> approved = admin.withKey((String) key.get("secret"))
                    .post(
                            "/v1/proposals/" + proposal.get("id") + "/approve",
                            "{\"sha256\":\"" + proposal.get("sha256") + "\",\"reason\":\"people liked both\"}");
            assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
            assertThat((Map<String, Object>) TestHttp.json(approved).get("result"))
                    .containsEntry("personality", "sage-x-spark")
                    .containsEntry("version", 1);

            HttpResponse<String> chat =
                    admin.post("/v1/chat", "{\"personality\":\"sage-x-spark\",\"user\":\"ada\",\"message\":\"Hi!\"}");
            assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
        }
    }

    @Test
    void atMostThreeBlendsWait_andBadInputIsAClearProblem() {
        try (TestHost host = TestHost.start(database)) {
            TestHttp admin = host.http();
            for (String persona : List.of(SAGE, SPARK, DULL)) {
                assertThat(admin.post("/v1/personalities", persona).statusCode())
                        .isEqualTo(201);
            }
            for (String id : List.of("one", "two", "three")) {
                HttpResponse<String> filed = admin.post(
                        "/v1/personalities/blends", "{\"sources\":[\"sage\",\"dull\"],\"id\":\"" + id + "\"}");
                assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
            }
            HttpResponse<String> fourth =
                    admin.post("/v1/personalities/blends", "{\"sources\":[\"sage\",\"dull\"],\"id\":\"four\"}");
            assertThat(fourth.statusCode()).isEqualTo(409);
            assertThat(fourth.body()).contains("3 personality blends already wait");

            Map<String, Object> pending = TestHttp.json(admin.get("/v1/proposals?state=pending"));
            String first = (String) ((List<Map<String, Object>>) (List<?>) pending.get("proposals"))
                    .get(0)
                    .get("id");
            assertThat(admin.post("/v1/proposals/" + first + "/reject", "{\"reason\":\"no\"}")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(admin.post("/v1/personalities/blends", "{\"sources\":[\"sage\",\"spark\"],\"id\":\"four\"}")
                            .statusCode())
                    .as("a decision frees a place")
                    .isEqualTo(201);

            assertThat(problem(admin, "{\"sources\":[\"sage\",\"nobody\"],\"id\":\"x\"}", 400))
                    .contains("unknown personality 'nobody'");
            assertThat(problem(admin, "{\"sources\":[\"sage\"]}", 400)).contains("field 'sources' must name 2 or 3");
            assertThat(problem(admin, "{\"sources\":[\"sage\",\"sage\"]}", 400)).contains("repeats");
            assertThat(problem(admin, "{\"sources\":[\"sage\",\"spark\"],\"id\":\"sage\"}", 409))
                    .contains("is taken");
            assertThat(problem(admin, "{\"sources\":[\"sage\",\"spark\"],\"nme\":\"typo\"}", 400))
                    .contains("nme");
        }
    }

    private static String problem(TestHttp admin, String body, int status) {
        HttpResponse<String> response = admin.post("/v1/personalities/blends", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("dev.nexus");
        return response.body();
    }

    /** Chats {@code count} turns with {@code personality} and rates each reply {@code stars}. */
    @SuppressWarnings("unchecked")
    private static void rate(TestHttp admin, String personality, int stars, int count) {
        for (int i = 0; i < count; i++) {
            HttpResponse<String> turn = admin.post(
                    "/v1/chat",
                    "{\"personality\":\"" + personality + "\",\"user\":\"ada\"," + "\"message\":\"Question " + i
                            + " for " + personality + "\"}");
            assertThat(turn.statusCode()).as(turn.body()).isEqualTo(200);
            String reply = (String) ((Map<String, Object>) TestHttp.json(turn).get("message")).get("id");
            HttpResponse<String> rated =
                    admin.post("/v1/feedback", "{\"message\":\"" + reply + "\",\"rating\":" + stars + "}");
            assertThat(rated.statusCode()).as(rated.body()).isEqualTo(201);
        }
    }

    @SuppressWarnings("unchecked")
    private static double traitValue(Map<String, Object> personality, String trait) {
        Object value = ((Map<String, Object>) personality.get("traits")).get(trait);
        return ((Number) (value instanceof Map<?, ?> map ? map.get("value") : value)).doubleValue();
    }
}
