package dev.nexus.host.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An A/B experiment on a real host: users are split stickily between two versions, replies say which
 * version answered, and simulated feedback (fixed seed) files a rollback proposal when the new version
 * is rated worse - and not when it is rated better. The proposal waits for approval.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class ExperimentHttpTest {

    private static final String SAGE = """
            {"id": "sage", "name": "Sage", "description": "A wise friend.", "traits": {"warmth": 0.7, "verbosity": 0.3},
             "systemPrompt": "You are {{char}}.", "greetings": ["Hello, {{user}}."]}""";

    @Parameter
    Database.Kind database;

    @Test
    @SuppressWarnings("unchecked")
    void experiment_splitsUsersStickily_andRepliesNameTheVersionThatAnswered() {
        try (TestHost host = TestHost.builder().database(database).start()) {
            String eid = startExperiment(host);
            for (String user : List.of("ada", "bob", "cy")) {
                Map<String, Object> first = chat(host, user);
                Map<String, Object> second = chat(host, user);
                Map<String, Object> experiment =
                        (Map<String, Object>) ((Map<String, Object>) first.get("metadata")).get("experiment");
                assertThat(experiment).containsEntry("id", eid);
                assertThat(((Map<String, Object>) first.get("personality")).get("version"))
                        .isEqualTo(experiment.get("version"))
                        .isEqualTo(((Map<String, Object>) second.get("personality")).get("version"));
                assertThat(experiment.get("arm"))
                        .isEqualTo(experiment.get("version").equals(2) ? "treatment" : "control");
            }
            Map<String, Object> stopped =
                    TestHttp.json(host.http().post("/v1/personalities/sage/experiments/" + eid + "/stop", ""));
            assertThat(stopped).containsEntry("state", "stopped").doesNotContainKey("proposal");
            List<Map<String, Object>> listed =
                    (List<Map<String, Object>>) TestHttp.json(host.http().get("/v1/personalities/sage/experiments"))
                            .get("experiments");
            assertThat(listed)
                    .singleElement()
                    .satisfies(e -> assertThat(e).containsEntry("id", eid).containsEntry("state", "stopped"));
            assertThat(host.http().get("/v1/personalities/nobody/experiments").statusCode())
                    .isEqualTo(404);
            assertThat(((Map<String, Object>) chat(host, "ada").get("personality")).get("version"))
                    .isEqualTo(2);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void worseNewVersion_withSimulatedFeedback_filesARollbackProposal_thatWaitsForApproval() {
        try (TestHost host = TestHost.builder().database(database).start()) {
            String eid = startExperiment(host);
            Map<String, Object> result = simulate(host, eid, 0.8, 0.35);

            assertThat(result).containsEntry("state", "concluded").containsEntry("verdict", "treatment-worse");
            assertThat((double) result.get("probabilityTreatmentWorse")).isGreaterThanOrEqualTo(0.95);
            Map<String, Object> proposal = TestHttp.json(host.http().get("/v1/proposals/" + result.get("proposal")));
            assertThat(proposal)
                    .containsEntry("kind", "rollback")
                    .containsEntry("state", "pending")
                    .containsEntry("subject", "sage");
            assertThat((Map<String, Object>) proposal.get("payload")).containsEntry("targetVersion", 1);
            assertThat(TestHttp.json(host.http().get("/v1/personalities/sage")).toString())
                    .contains("version=2");
        }
    }

    @Test
    void betterNewVersion_withSimulatedFeedback_filesNoProposal() {
        try (TestHost host = TestHost.builder().database(database).start()) {
            String eid = startExperiment(host);
            Map<String, Object> result = simulate(host, eid, 0.35, 0.8);

            assertThat(result)
                    .containsEntry("state", "concluded")
                    .containsEntry("verdict", "treatment-better")
                    .doesNotContainKey("proposal");
            assertThat(host.http().get("/v1/proposals?state=pending").body()).doesNotContain("\"rollback\"");
        }
    }

    @Test
    void create_withBadValues_isAProblemNamingTheField() {
        try (TestHost host = TestHost.builder().database(database).start()) {
            twoVersions(host);
            var response = host.http().post("/v1/personalities/sage/experiments", "{\"controlVersion\": 2}");
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).contains("controlVersion").contains("1 to 1");
            response = host.http()
                    .post("/v1/personalities/sage/experiments", "{\"controlVersion\": 1, \"treatmentPercent\": 100}");
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).contains("treatmentPercent");
            assertThat(host.http()
                            .get("/v1/personalities/sage/experiments/nope")
                            .statusCode())
                    .isEqualTo(404);
        }
    }

    /** Chats as new users and rates each reply: satisfied with the given probability per version. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> simulate(
            TestHost host, String eid, double controlSatisfied, double treatmentSatisfied) {
        SplittableRandom random = new SplittableRandom(17);
        for (int user = 0; user < 400; user++) {
            Map<String, Object> turn = chat(host, "sim-" + user);
            int version = (int) ((Map<String, Object>) turn.get("personality")).get("version");
            double satisfied = version == 1 ? controlSatisfied : treatmentSatisfied;
            int rating = random.nextDouble() < satisfied ? 5 : 2;
            String message = (String) ((Map<String, Object>) turn.get("message")).get("id");
            assertThat(host.http()
                            .post("/v1/feedback", Json.write(Map.of("message", message, "rating", rating)))
                            .statusCode())
                    .isEqualTo(201);
            if (user % 10 == 9) {
                Map<String, Object> result =
                        TestHttp.json(host.http().get("/v1/personalities/sage/experiments/" + eid));
                if (!"running".equals(result.get("state"))) {
                    return result;
                }
            }
        }
        return TestHttp.json(host.http().get("/v1/personalities/sage/experiments/" + eid));
    }

    private static void twoVersions(TestHost host) {
        assertThat(host.http().post("/v1/personalities", SAGE).statusCode()).isEqualTo(201);
        assertThat(host.http()
                        .put("/v1/personalities/sage", SAGE.replace("A wise friend.", "A wiser friend."))
                        .statusCode())
                .isEqualTo(200);
    }

    private static String startExperiment(TestHost host) {
        twoVersions(host);
        var created = host.http()
                .post(
                        "/v1/personalities/sage/experiments",
                        "{\"controlVersion\": 1, \"treatmentPercent\": 50, \"minFeedback\": 30}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return (String) TestHttp.json(created).get("id");
    }

    private static Map<String, Object> chat(TestHost host, String user) {
        var response = host.http()
                .post("/v1/chat", Json.write(Map.of("personality", "sage", "user", user, "message", "Hello there")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttp.json(response);
    }
}
