package dev.nexus.host.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 6's "done when" on the real host with the offline model: replies rated "too long", an
 * evolution run, a pending proposal lowering verbosity with its evidence, approval by a second key,
 * a shorter next reply, and a rollback that restores the old behaviour.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class EvolutionEndToEndTest {

    @Parameter
    Database.Kind database;

    private static final String SAGE = """
            {"id": "sage", "name": "Sage", "description": "A wise friend who likes to explain things at length.",
             "voice": "warm and unhurried",
             "values": ["Honesty before comfort.", "Small steps compound.", "Rest is part of the work.", "Ask before advising."],
             "style": ["Use plain words.", "Give one concrete example.", "End with a question."],
             "traits": {"verbosity": {"value": 0.8, "evolvable": true, "min": 0.1, "max": 0.9}, "warmth": 0.6},
             "greetings": ["Hello, {{user}}. What is on your mind today?"],
             "examples": [[{"role": "user", "text": "How do I start running?"},
                           {"role": "assistant", "text": "Start with walking. Add one minute of running each day. Rest on the third day. Track how you feel, not how far you go. In a month you will run twenty minutes."}]]}
            """;

    @Test
    @SuppressWarnings("unchecked")
    void tooLongFeedback_evolvesAShorterPersonality_onlyAfterApproval_andRollbackRestoresIt() throws Exception {
        try (TestHost host = TestHost.start(database)) {
            TestHttp admin = host.http();
            assertThat(admin.post("/v1/personalities", SAGE).statusCode()).isEqualTo(201);
            Map<String, Object> key = TestHttp.json(admin.post(
                    "/v1/keys", "{\"name\":\"reviewer\",\"scopes\":[\"approver\",\"user\"],\"user\":\"reviewer\"}"));
            TestHttp reviewer = admin.withKey((String) key.get("secret"));

            int before = replyLength(admin, PROBE);
            for (int i = 0; i < 5; i++) {
                String reply = replyId(admin, "Tell me how to start running, question " + i);
                HttpResponse<String> feedback = admin.post(
                        "/v1/feedback", "{\"message\":\"" + reply + "\",\"rating\":2,\"critiques\":[\"too long\"]}");
                assertThat(feedback.statusCode()).as(feedback.body()).isEqualTo(201);
            }

            HttpResponse<String> started = admin.post("/v1/evolution/runs", "{\"personality\":\"sage\",\"seed\":11}");
            assertThat(started.statusCode()).as(started.body()).isIn(201, 202);
            Map<String, Object> run =
                    await(admin, "/v1/evolution/runs/" + TestHttp.json(started).get("id"));
            assertThat(run.get("state")).isEqualTo("succeeded");

            Map<String, Object> proposal = TestHttp.json(admin.get("/v1/proposals/" + run.get("proposal")));
            assertThat(proposal.get("state")).isEqualTo("pending");
            Map<String, Object> payload = (Map<String, Object>) proposal.get("payload");
            double proposed = ((Number) ((Map<String, Object>) payload.get("values")).get("verbosity")).doubleValue();
            assertThat(proposed).isLessThan(0.8);
            assertThat((Map<String, Object>) payload.get("evidence"))
                    .containsEntry("seed", 11)
                    .containsEntry("feedbackCount", 5);

            assertThat(replyLength(admin, PROBE))
                    .as("nothing changes before approval")
                    .isEqualTo(before);

            String sha = (String) proposal.get("sha256");
            HttpResponse<String> approved = reviewer.post(
                    "/v1/proposals/" + proposal.get("id") + "/approve",
                    "{\"sha256\":\"" + sha + "\",\"reason\":\"users find it long\"}");
            assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);

            int after = replyLength(admin, PROBE);
            assertThat(after).isLessThan(before);

            Map<String, Object> rollback = TestHttp.json(reviewer.post(
                    "/v1/proposals",
                    "{\"kind\":\"rollback\",\"personality\":\"sage\",\"version\":1,\"reason\":\"too terse now\"}"));
            HttpResponse<String> restored = admin.post(
                    "/v1/proposals/" + rollback.get("id") + "/approve",
                    "{\"sha256\":\"" + rollback.get("sha256") + "\",\"reason\":\"back to the original\"}");
            assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
            assertThat(replyLength(admin, PROBE)).isEqualTo(before);

            List<Map<String, Object>> versions = (List<Map<String, Object>>)
                    TestHttp.json(admin.get("/v1/personalities/sage/versions")).get("versions");
            assertThat(versions).hasSize(3);
        }
    }

    /** Matches the personality's example, so the offline model has more to say than a short reply keeps. */
    private static final String PROBE = "How do I start running?";

    private static int probes;

    /** Chats as {@code user}; measurements use a fresh user each, so no memories differ between them. */
    private static Map<String, Object> chat(TestHttp http, String user, String message) {
        HttpResponse<String> response = http.post(
                "/v1/chat", "{\"personality\":\"sage\",\"user\":\"" + user + "\",\"message\":\"" + message + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttp.json(response);
    }

    @SuppressWarnings("unchecked")
    private static int replyLength(TestHttp http, String message) {
        return ((String) ((Map<String, Object>)
                                chat(http, "probe-" + (++probes), message).get("message"))
                        .get("content"))
                .length();
    }

    @SuppressWarnings("unchecked")
    private static String replyId(TestHttp http, String message) {
        return (String) ((Map<String, Object>) chat(http, "ada", message).get("message")).get("id");
    }

    @Test
    @SuppressWarnings("unchecked")
    void runList_isNewestFirst_filtersByPersonality_andRefusesABadLimit() throws Exception {
        try (TestHost host = TestHost.start(database)) {
            TestHttp admin = host.http();
            assertThat(admin.post("/v1/personalities", SAGE).statusCode()).isEqualTo(201);
            assertThat(admin.post("/v1/personalities", SAGE.replace("\"id\": \"sage\"", "\"id\": \"owl\""))
                            .statusCode())
                    .isEqualTo(201);
            List<String> started = new java.util.ArrayList<>();
            for (String personality : List.of("sage", "owl", "sage")) {
                HttpResponse<String> run =
                        admin.post("/v1/evolution/runs", "{\"personality\":\"" + personality + "\",\"seed\":3}");
                assertThat(run.statusCode()).as(run.body()).isEqualTo(202);
                String id = (String) TestHttp.json(run).get("id");
                await(admin, "/v1/evolution/runs/" + id);
                started.add(id);
            }

            List<Map<String, Object>> all = (List<Map<String, Object>>)
                    TestHttp.json(admin.get("/v1/evolution/runs")).get("runs");
            List<Map<String, Object>> sage =
                    (List<Map<String, Object>>) TestHttp.json(admin.get("/v1/evolution/runs?personality=sage&limit=1"))
                            .get("runs");

            assertThat(all)
                    .extracting(run -> run.get("id"))
                    .containsExactly(started.get(2), started.get(1), started.get(0));
            assertThat(sage).extracting(run -> run.get("id")).containsExactly(started.get(2));
            assertThat(admin.get("/v1/evolution/runs?limit=0").statusCode()).isEqualTo(400);
            assertThat(admin.get("/v1/evolution/runs?limit=many").body())
                    .contains("'limit'")
                    .contains("whole number");
        }
    }

    private static Map<String, Object> await(TestHttp http, String path) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            Map<String, Object> run = TestHttp.json(http.get(path));
            if (!List.of("queued", "running").contains(run.get("state"))
                    || Instant.now().isAfter(deadline)) {
                return run;
            }
            Thread.sleep(50);
        }
    }
}
