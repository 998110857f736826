package dev.nexus.host.goals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
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
 * The goals engine through the real server on H2 and PostgreSQL, as a new user meets it: a goal with
 * three milestones, a chat message saying one is done, progress 0.33 and an honest offline suggestion;
 * per-user isolation; progress set by hand and its history. One host per database (no model configured).
 */
@SuppressWarnings("unchecked")
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class GoalsApiTest {

    @Parameter
    Database.Kind database;

    static TestHost host;
    static TestHttp admin;

    private static final String PERSONA = """
            {"id": "coach", "name": "Coach", "description": "A personality that helps people reach their goals.",
             "greetings": ["Hello."]}""";

    @BeforeParameterizedClassInvocation
    static void start(Database.Kind database) {
        host = TestHost.builder().database(database).start();
        admin = host.http();
        expect(admin.post("/v1/personalities", PERSONA), 201);
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        host.close();
    }

    private static String userKey(String user) {
        return (String) TestHttp.json(expect(
                        admin.post(
                                "/v1/keys",
                                "{\"name\":\"" + user + "'s key\",\"scopes\":[\"user\"],\"user\":\"" + user + "\"}"),
                        201))
                .get("secret");
    }

    @Test
    void aNewUser_createsAGoal_saysInChatOneMilestoneIsDone_andSeesProgressAndASuggestion() {
        TestHttp ada = admin.withKey(userKey("ada-" + database));
        Map<String, Object> goal = TestHttp.json(expect(ada.post("/v1/goals", """
                {"title": "Write a novel", "deadline": "2099-06-01",
                 "milestones": [{"title": "First chapter"}, {"title": "Second chapter"}, {"title": "Third chapter"}]}"""), 201));
        String id = (String) goal.get("id");
        assertThat(goal)
                .containsEntry("status", "active")
                .containsEntry("progress", 0.0)
                .containsEntry("progressSource", "milestones");

        Map<String, Object> turn = TestHttp.json(expect(
                ada.post(
                        "/v1/chat",
                        "{\"personality\":\"coach\",\"message\":\"Good news: I finished the first chapter yesterday!\"}"),
                200));
        String said = (String) ((Map<String, Object>) turn.get("userMessage")).get("id");

        Map<String, Object> after = await(admin, id, g -> ((Double) g.get("progress")) > 0);
        assertThat(after).containsEntry("progress", 0.33);
        List<Map<String, Object>> milestones = (List<Map<String, Object>>) after.get("milestones");
        assertThat(milestones.get(0))
                .containsEntry("title", "First chapter")
                .containsEntry("done", true)
                .containsEntry("doneSource", "chat")
                .containsEntry("doneMethod", "rules")
                .containsEntry("doneReference", said);
        assertThat(milestones.subList(1, 3)).allSatisfy(m -> assertThat(m).containsEntry("done", false));
        assertThat((List<Map<String, Object>>) after.get("history"))
                .extracting(h -> h.get("source"), h -> h.get("progress"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("created", 0.0),
                        org.assertj.core.groups.Tuple.tuple("chat", 0.33));

        Map<String, Object> suggestions = TestHttp.json(expect(ada.get("/v1/goals/" + id + "/suggestions"), 200));
        assertThat(suggestions).containsEntry("source", "offline-rules");
        assertThat((String) suggestions.get("note")).contains("no language model is configured");
        assertThat((List<Map<String, Object>>) suggestions.get("suggestions"))
                .anySatisfy(s -> assertThat(s)
                        .containsEntry("kind", "next-milestone")
                        .containsEntry("text", "Next step: \"Second chapter\".")
                        .containsEntry("milestone", milestones.get(1).get("id")));

        // The next turn recalls the active goal as part of the user's context.
        Map<String, Object> next = TestHttp.json(expect(
                ada.post(
                        "/v1/chat",
                        "{\"personality\":\"coach\",\"message\":\"What next?\"," + "\"conversation\":\""
                                + turn.get("conversation") + "\"}"),
                200));
        Map<String, Object> recalled =
                (Map<String, Object>) ((Map<String, Object>) next.get("metadata")).get("recalled");
        assertThat((List<String>) recalled.get("memories")).contains(id);
    }

    @Test
    void anotherUsersGoal_isNotFound_whileAdminsActForAnyone() {
        TestHttp ann = admin.withKey(userKey("ann-" + database));
        TestHttp bob = admin.withKey(userKey("bob-" + database));
        String id = (String) TestHttp.json(expect(ann.post("/v1/goals", "{\"title\": \"Run a marathon\"}"), 201))
                .get("id");

        assertThat(bob.get("/v1/goals/" + id).statusCode()).isEqualTo(404);
        assertThat(bob.put("/v1/goals/" + id, "{\"title\": \"mine now\"}").statusCode())
                .isEqualTo(404);
        assertThat(bob.delete("/v1/goals/" + id).statusCode()).isEqualTo(404);
        assertThat(bob.post("/v1/goals/" + id + "/progress", "{\"progress\": 1}")
                        .statusCode())
                .isEqualTo(404);
        assertThat((List<Object>)
                        TestHttp.json(expect(bob.get("/v1/goals"), 200)).get("goals"))
                .isEmpty();
        HttpResponse<String> naming = bob.get("/v1/goals?user=ann-" + database);
        assertThat(naming.statusCode()).isEqualTo(403);

        assertThat(TestHttp.json(expect(admin.get("/v1/goals/" + id), 200))).containsEntry("user", "ann-" + database);
        assertThat((List<Object>) TestHttp.json(expect(admin.get("/v1/goals?user=ann-" + database), 200))
                        .get("goals"))
                .hasSize(1);
        expect(admin.delete("/v1/goals/" + id), 204);
        assertThat(ann.get("/v1/goals/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void progress_setByHand_overridesTheMilestones_untilTheyDecideAgain_andEveryChangeIsInTheHistory() {
        TestHttp cy = admin.withKey(userKey("cy-" + database));
        Map<String, Object> goal =
                TestHttp.json(expect(cy.post("/v1/goals", "{\"title\": \"Learn Portuguese\"}"), 201));
        String id = (String) goal.get("id");
        Map<String, Object> milestone = TestHttp.json(expect(
                cy.post("/v1/goals/" + id + "/milestones", "{\"title\": \"A1 course\", \"due\": \"2000-01-01\"}"),
                201));
        expect(cy.post("/v1/goals/" + id + "/milestones", "{\"title\": \"A2 course\"}"), 201);

        assertThat(TestHttp.json(expect(
                        cy.post("/v1/goals/" + id + "/progress", "{\"progress\": 0.7, \"note\": \"felt like it\"}"),
                        200)))
                .containsEntry("progress", 0.7)
                .containsEntry("progressSource", "set");
        assertThat(TestHttp.json(expect(cy.post("/v1/goals/" + id + "/progress", "{\"fromMilestones\": true}"), 200)))
                .containsEntry("progress", 0.0)
                .containsEntry("progressSource", "milestones");
        String mid = (String) milestone.get("id");
        assertThat(TestHttp.json(expect(cy.post("/v1/goals/" + id + "/milestones/" + mid + "/complete", ""), 200)))
                .containsEntry("progress", 0.5);
        assertThat(TestHttp.json(expect(cy.post("/v1/goals/" + id + "/milestones/" + mid + "/complete", ""), 200)))
                .as("completing twice changes nothing")
                .containsEntry("progress", 0.5);
        assertThat(TestHttp.json(expect(cy.post("/v1/goals/" + id + "/milestones/" + mid + "/uncomplete", ""), 200)))
                .containsEntry("progress", 0.0);

        Map<String, Object> read = TestHttp.json(expect(cy.get("/v1/goals/" + id), 200));
        assertThat((List<Map<String, Object>>) read.get("history"))
                .extracting(h -> h.get("source"))
                .containsExactly("created", "set", "set", "milestone", "milestone");
        assertThat((List<Map<String, Object>>) TestHttp.json(expect(cy.get("/v1/goals/" + id + "/suggestions"), 200))
                        .get("suggestions"))
                .first()
                .satisfies(s ->
                        assertThat(s).containsEntry("kind", "overdue-milestone").containsEntry("milestone", mid));

        HttpResponse<String> bad = cy.post("/v1/goals/" + id + "/progress", "{\"progress\": 1.5}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("'progress' must be a number from 0 to 1");
        assertThat(TestHttp.json(expect(
                        cy.put("/v1/goals/" + id, "{\"title\": \"Learn Portuguese\", \"status\": \"paused\"}"), 200)))
                .containsEntry("status", "paused");
        assertThat(cy.put("/v1/goals/" + id, "{\"title\": \"x\", \"status\": \"someday\"}")
                        .body())
                .contains("'status' must be one of [active, paused, completed], got 'someday'");
    }

    private static Map<String, Object> await(TestHttp http, String id, Predicate<Map<String, Object>> until) {
        Map<String, Object> goal = Map.of();
        for (int attempt = 0; attempt < 200; attempt++) {
            goal = TestHttp.json(expect(http.get("/v1/goals/" + id), 200));
            if (until.test(goal)) {
                return goal;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("goal " + id + " never got there: " + goal);
    }

    private static HttpResponse<String> expect(HttpResponse<String> response, int status) {
        assertThat(response.statusCode())
                .as(response.request().method() + " " + response.request().uri() + ": " + response.body())
                .isEqualTo(status);
        return response;
    }
}
