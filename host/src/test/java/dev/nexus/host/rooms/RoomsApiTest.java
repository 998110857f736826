package dev.nexus.host.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rooms through the real server on H2 and PostgreSQL with the offline model and the shipped
 * personality bundles, as new users meet them: a three-personality debate over three rounds ending in
 * a synthesis citing each; who witnessed what (a late joiner, personality or person, sees nothing said
 * before it joined); several people each as their own principal; the turn policies and the loop guard;
 * trait borrowing; routing and {@code personality: "auto"}.
 */
@SuppressWarnings("unchecked")
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class RoomsApiTest {

    @Parameter
    Database.Kind database;

    static TestHost host;
    static TestHttp admin;
    static Path personalities;

    @BeforeParameterizedClassInvocation
    static void start(Database.Kind database) throws IOException {
        personalities = Files.createTempDirectory("nexus-rooms-personalities-");
        // Every shipped bundle, so routing chooses among all of them.
        try (Stream<Path> bundles = Files.list(Path.of("..", "personalities"))) {
            for (Path bundle : bundles.filter(Files::isDirectory).toList()) {
                Path target = Files.createDirectories(
                        personalities.resolve(bundle.getFileName().toString()));
                Files.copy(bundle.resolve("persona.yaml"), target.resolve("persona.yaml"));
            }
        }
        host = TestHost.builder()
                .database(database)
                .env("NEXUS_PERSONALITIES_DIR", personalities.toString())
                .start();
        admin = host.http();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        host.close();
    }

    static String userKey(String user) {
        return (String) TestHttp.json(expect(
                        admin.post(
                                "/v1/keys",
                                "{\"name\":\"" + user + "'s key\",\"scopes\":[\"user\"],\"user\":\"" + user + "\"}"),
                        201))
                .get("secret");
    }

    static HttpResponse<String> expect(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return response;
    }

    private String room(TestHttp as, String body) {
        return (String) TestHttp.json(expect(as.post("/v1/rooms", body), 201)).get("id");
    }

    @Test
    void threePersonalities_debateForThreeRounds_andEndInASynthesisCitingEach() {
        TestHttp ada = admin.withKey(userKey("ada-" + database));
        String id = room(ada, """
                {"title": "Tabs or spaces", "policy": "mention",
                 "personalities": ["zen-engineer", "wry-historian", "startup-coach"]}""");

        Map<String, Object> run = TestHttp.json(expect(
                ada.post(
                        "/v1/rooms/" + id + "/protocols",
                        "{\"protocol\":\"debate\",\"question\":\"Should a small team rewrite its legacy system?\",\"rounds\":3}"),
                200));

        assertThat(run).containsEntry("protocol", "debate").containsEntry("complete", true);
        List<Map<String, Object>> transcript = (List<Map<String, Object>>) run.get("transcript");
        List<Map<String, Object>> spoken = transcript.stream()
                .filter(m -> "personality".equals(m.get("speakerKind")))
                .toList();
        // 3 positions + 2 rebuttal rounds x 3 + 3 votes + the synthesis.
        assertThat(spoken.stream().filter(m -> "position".equals(meta(m).get("stage"))))
                .hasSize(3);
        assertThat(spoken.stream().filter(m -> "rebuttal".equals(meta(m).get("stage"))))
                .hasSize(6)
                .extracting(m -> meta(m).get("round"))
                .containsExactly(2, 2, 2, 3, 3, 3);
        assertThat(spoken.stream().filter(m -> "vote".equals(meta(m).get("stage"))))
                .hasSize(3);
        Map<String, Object> synthesis = (Map<String, Object>) run.get("synthesis");
        assertThat(meta(synthesis)).containsEntry("stage", "synthesis").containsKey("votes");
        assertThat((String) synthesis.get("content"))
                .contains("[Zen Engineer]", "[Wry Historian]", "[Startup Coach]")
                .contains("offline");
        List<Map<String, Object>> citations =
                (List<Map<String, Object>>) meta(synthesis).get("citations");
        assertThat(citations)
                .extracting(c -> c.get("speaker"))
                .containsExactly("zen-engineer", "wry-historian", "startup-coach");
        assertThat(citations)
                .allSatisfy(c -> assertThat((List<String>) c.get("messages")).hasSize(3));

        // The transcript is stored: the room's messages hold every step, in order, the synthesis last.
        List<Map<String, Object>> stored = messages(ada, id, "");
        assertThat(stored.get(stored.size() - 1)).containsEntry("id", synthesis.get("id"));
        assertThat(stored)
                .extracting(m -> m.get("id"))
                .containsAll(transcript.stream().map(m -> m.get("id")).toList());

        // Reproducible: the same debate in another room gives the same texts.
        String again = room(
                ada,
                "{\"title\":\"Again\",\"policy\":\"mention\",\"personalities\":[\"zen-engineer\",\"wry-historian\",\"startup-coach\"]}");
        Map<String, Object> second = TestHttp.json(expect(
                ada.post(
                        "/v1/rooms/" + again + "/protocols",
                        "{\"protocol\":\"debate\",\"question\":\"Should a small team rewrite its legacy system?\",\"rounds\":3}"),
                200));
        assertThat(((List<Map<String, Object>>) second.get("transcript"))
                        .stream().map(m -> m.get("content")).toList())
                .isEqualTo(transcript.stream().map(m -> m.get("content")).toList());
    }

    @Test
    void aLateJoiner_personalityOrPerson_doesNotWitnessWhatWasSaidBeforeItJoined() {
        String ann = "ann-" + database;
        String carl = "carl-" + database;
        TestHttp annHttp = admin.withKey(userKey(ann));
        TestHttp carlHttp = admin.withKey(userKey(carl));
        String id =
                room(annHttp, "{\"title\":\"Secrets\",\"policy\":\"mention\",\"personalities\":[\"zen-engineer\"]}");

        expect(
                annHttp.post(
                        "/v1/rooms/" + id + "/messages",
                        "{\"message\":\"@zen-engineer the launch code is PELICAN-42\"}"),
                200);
        // carl is not in the room: it does not exist for him.
        expect(carlHttp.get("/v1/rooms/" + id), 404);
        expect(carlHttp.post("/v1/rooms/" + id + "/messages", "{\"message\":\"hi\"}"), 404);

        expect(annHttp.post("/v1/rooms/" + id + "/participants", "{\"personality\":\"wry-historian\"}"), 200);
        expect(annHttp.post("/v1/rooms/" + id + "/participants", "{\"user\":\"" + carl + "\"}"), 200);
        Map<String, Object> asked = TestHttp.json(expect(
                carlHttp.post(
                        "/v1/rooms/" + id + "/messages", "{\"message\":\"@wry-historian what is the launch code?\"}"),
                200));

        List<Map<String, Object>> replies = (List<Map<String, Object>>) asked.get("replies");
        assertThat(replies).singleElement().satisfies(r -> {
            assertThat(r).containsEntry("speaker", "wry-historian");
            assertThat((String) r.get("content")).doesNotContain("PELICAN");
        });
        // What each one witnessed: the historian and carl start at their joining; zen and ann saw it all.
        List<Map<String, Object>> historian = TestHttp.json(
                        expect(admin.get("/v1/rooms/" + id + "/messages?as=personality:wry-historian"), 200))
                .entrySet()
                .stream()
                .filter(e -> e.getKey().equals("messages"))
                .map(e -> (List<Map<String, Object>>) e.getValue())
                .findFirst()
                .orElseThrow();
        assertThat(historian)
                .extracting(m -> (String) m.get("content"))
                .noneMatch(c -> c.contains("PELICAN"))
                .anyMatch(c -> c.contains("Wry Historian (wry-historian) joined"));
        assertThat(messages(carlHttp, id, ""))
                .extracting(m -> (String) m.get("content"))
                .noneMatch(c -> c.contains("PELICAN"))
                .anyMatch(c -> c.contains("what is the launch code"));
        assertThat(messages(annHttp, id, ""))
                .extracting(m -> (String) m.get("content"))
                .anyMatch(c -> c.contains("PELICAN-42"))
                .anyMatch(c -> c.contains("what is the launch code"));
        // A user reads only their own view.
        expect(carlHttp.get("/v1/rooms/" + id + "/messages?as=user:" + ann), 403);

        // Leaving: carl no longer reaches the room, and sees nothing said after.
        expect(carlHttp.delete("/v1/rooms/" + id + "/participants/user:" + carl), 200);
        expect(carlHttp.get("/v1/rooms/" + id + "/messages"), 404);
        assertThat((List<Map<String, Object>>)
                        TestHttp.json(expect(carlHttp.get("/v1/rooms"), 200)).get("rooms"))
                .extracting(r -> r.get("id"))
                .doesNotContain(id);
        assertThat((List<Map<String, Object>>)
                        TestHttp.json(expect(annHttp.get("/v1/rooms"), 200)).get("rooms"))
                .extracting(r -> r.get("id"))
                .contains(id);
    }

    @Test
    void turnPolicies_roundRobin_andFreeModeWithItsLoopGuard() {
        TestHttp bea = admin.withKey(userKey("bea-" + database));
        String rr = room(
                bea,
                "{\"title\":\"RR\",\"policy\":\"round-robin\",\"personalities\":[\"zen-engineer\",\"wry-historian\"]}");
        List<String> speakers = Stream.of("one", "two", "three")
                .map(text -> {
                    Map<String, Object> posted = TestHttp.json(
                            expect(bea.post("/v1/rooms/" + rr + "/messages", "{\"message\":\"" + text + "\"}"), 200));
                    return (String) ((List<Map<String, Object>>) posted.get("replies"))
                            .get(0)
                            .get("speaker");
                })
                .toList();
        assertThat(speakers).containsExactly("zen-engineer", "wry-historian", "zen-engineer");

        String free = room(bea, """
                {"title": "Free", "policy": "free", "maxConsecutiveTurns": 4,
                 "personalities": ["zen-engineer", "wry-historian", "startup-coach"]}""");
        Map<String, Object> posted = TestHttp.json(expect(
                bea.post("/v1/rooms/" + free + "/messages", "{\"message\":\"How should we plan the quarter?\"}"), 200));
        List<Map<String, Object>> replies = (List<Map<String, Object>>) posted.get("replies");
        assertThat(posted).containsEntry("stopped", "max-consecutive");
        assertThat(replies).hasSize(4);
        for (int i = 1; i < replies.size(); i++) {
            assertThat(replies.get(i).get("speaker"))
                    .as("nobody answers itself")
                    .isNotEqualTo(replies.get(i - 1).get("speaker"));
        }

        String tight = room(
                bea,
                "{\"title\":\"Tight\",\"policy\":\"free\",\"tokenBudget\":1,\"personalities\":[\"zen-engineer\",\"wry-historian\"]}");
        Map<String, Object> spent = TestHttp.json(
                expect(bea.post("/v1/rooms/" + tight + "/messages", "{\"message\":\"Go on, talk\"}"), 200));
        assertThat(spent).containsEntry("stopped", "token-budget");
        assertThat((List<?>) spent.get("replies")).hasSize(1);
        Map<String, Object> after =
                TestHttp.json(expect(bea.post("/v1/rooms/" + tight + "/messages", "{\"message\":\"Anyone?\"}"), 200));
        assertThat((List<?>) after.get("replies")).isEmpty();
    }

    @Test
    void borrowedTraits_showInTheReply_andNeverChangeEitherStoredVersion() {
        TestHttp cy = admin.withKey(userKey("cy-" + database));
        Map<String, Object> before = TestHttp.json(expect(admin.get("/v1/personalities/zen-engineer"), 200));
        String id = room(
                cy,
                "{\"title\":\"Loans\",\"policy\":\"mention\",\"personalities\":[\"zen-engineer\",\"startup-coach\"]}");
        Map<String, Object> posted = TestHttp.json(expect(cy.post("/v1/rooms/" + id + "/messages", """
                {"message": "@zen-engineer review my plan", "borrow": [{"personality": "zen-engineer", "trait": "humor", "from": "wry-historian"}]}"""), 200));
        Map<String, Object> reply = ((List<Map<String, Object>>) posted.get("replies")).get(0);
        List<Map<String, Object>> borrowed =
                (List<Map<String, Object>>) meta(reply).get("borrowed");
        Map<String, Object> historian = ((List<Map<String, Object>>)
                        TestHttp.json(expect(admin.get("/v1/personalities?q=wry-historian"), 200))
                                .get("personalities"))
                .get(0);
        double lent = ((Number) ((Map<String, Object>) historian.get("traits")).get("humor")).doubleValue();
        assertThat(borrowed)
                .singleElement()
                .satisfies(b -> assertThat(b)
                        .containsEntry("trait", "humor")
                        .containsEntry("from", "wry-historian")
                        .containsEntry("value", lent));
        assertThat(((Map<String, Object>) meta(reply).get("traits"))).containsEntry("humor", lent);
        assertThat(TestHttp.json(expect(admin.get("/v1/personalities/zen-engineer"), 200))
                        .get("version"))
                .isEqualTo(before.get("version"));

        expect(
                cy.post(
                        "/v1/rooms/" + id + "/messages",
                        "{\"message\":\"hi\",\"borrow\":[{\"personality\":\"zen-engineer\",\"trait\":\"no-such-trait\",\"from\":\"wry-historian\"}]}"),
                400);
    }

    @Test
    void routing_picksTheCookingPersonality_forARecipeQuestion_alsoAsChatAuto() {
        TestHttp dee = admin.withKey(userKey("dee-" + database));
        Map<String, Object> routed = TestHttp.json(expect(
                dee.post("/v1/route", "{\"message\":\"Can you give me a recipe for a quick vegetarian lasagna?\"}"),
                200));
        List<Map<String, Object>> matches = (List<Map<String, Object>>) routed.get("matches");
        assertThat(matches.get(0)).containsEntry("personality", "chef-marco");
        assertThat((List<String>) matches.get(0).get("reasons")).isNotEmpty();
        assertThat((Double) matches.get(0).get("score"))
                .isGreaterThan((Double) matches.get(1).get("score"));

        Map<String, Object> chat = TestHttp.json(expect(
                dee.post(
                        "/v1/chat",
                        "{\"personality\":\"auto\",\"message\":\"What is a good recipe for pancakes without buttermilk?\"}"),
                200));
        assertThat((Map<String, Object>) chat.get("personality")).containsEntry("id", "chef-marco");
        // The conversation keeps its personality when continued with "auto".
        Map<String, Object> next = TestHttp.json(expect(
                dee.post(
                        "/v1/chat",
                        "{\"personality\":\"auto\",\"conversation\":\"" + chat.get("conversation")
                                + "\",\"message\":\"And how do I explain recursion?\"}"),
                200));
        assertThat((Map<String, Object>) next.get("personality")).containsEntry("id", "chef-marco");

        Map<String, Object> direct = TestHttp.json(
                expect(dee.post("/v1/route", "{\"message\":\"review my code\",\"traits\":[\"directness>0.7\"]}"), 200));
        assertThat((List<Map<String, Object>>) direct.get("matches"))
                .isNotEmpty()
                .allSatisfy(m -> assertThat((List<String>) m.get("reasons"))
                        .anyMatch(r -> r.startsWith("directness") && r.contains("passes")));
        Map<String, Object> listed =
                TestHttp.json(expect(dee.get("/v1/personalities?trait=directness%3E0.7&q=engineer"), 200));
        assertThat((List<Map<String, Object>>) listed.get("personalities"))
                .isNotEmpty()
                .allSatisfy(p -> assertThat(
                                ((Number) ((Map<String, Object>) p.get("traits")).get("directness")).doubleValue())
                        .isGreaterThan(0.7));
        expect(dee.get("/v1/personalities?trait=directness%3E%3E1"), 400);
    }

    @Test
    void theRoomsEventStream_showsWhoSpeaks_eachStoredMessage_andWhyTheTurnsStopped() throws IOException {
        TestHttp gil = admin.withKey(userKey("gil-" + database));
        String id = room(gil, "{\"title\":\"Live\",\"policy\":\"round-robin\",\"personalities\":[\"zen-engineer\"]}");
        HttpResponse<java.io.InputStream> stream =
                gil.sendStream(gil.request("/v1/rooms/" + id + "/events").GET());
        assertThat(stream.statusCode()).isEqualTo(200);
        try (var lines = new java.io.BufferedReader(
                new java.io.InputStreamReader(stream.body(), java.nio.charset.StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).isEqualTo(": watching");
            expect(gil.post("/v1/rooms/" + id + "/messages", "{\"message\":\"Morning, everyone\"}"), 200);
            List<String> events = new java.util.ArrayList<>();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("event: ")) {
                    events.add(line.substring(7));
                } else if (line.startsWith("data: ")
                        && events.get(events.size() - 1).equals("speaking")) {
                    assertThat(line)
                            .contains("\"personality\":\"zen-engineer\"")
                            .contains("\"reason\":\"round-robin\"");
                }
                if (events.contains("stopped")) {
                    break;
                }
            }
            assertThat(events).containsExactly("message", "speaking", "message", "stopped");
        }
        // Someone outside the room cannot watch it.
        TestHttp hal = admin.withKey(userKey("hal-" + database));
        HttpResponse<java.io.InputStream> outsider =
                hal.sendStream(hal.request("/v1/rooms/" + id + "/events").GET());
        assertThat(outsider.statusCode()).isEqualTo(404);
        outsider.body().close();
    }

    private static Map<String, Object> meta(Map<String, Object> message) {
        return (Map<String, Object>) message.get("metadata");
    }

    private static List<Map<String, Object>> messages(TestHttp as, String room, String query) {
        return (List<Map<String, Object>>) TestHttp.json(expect(as.get("/v1/rooms/" + room + "/messages" + query), 200))
                .get("messages");
    }
}
