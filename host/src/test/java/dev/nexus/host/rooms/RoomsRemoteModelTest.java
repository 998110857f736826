package dev.nexus.host.rooms;

import static dev.nexus.host.llm.FakeOpenAiServer.reply;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.llm.FakeOpenAiServer;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rooms with a language model: a local server speaking OpenAI's wire protocol answers every turn and
 * records every prompt. A late joiner's prompt holds nothing said before it joined; a debate runs its
 * steps as model turns, counts the vote from the ballots, and keeps the model's synthesis when it
 * cites everyone, while a panel synthesis that leaves someone out is completed with their quoted words.
 */
@SuppressWarnings("unchecked")
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class RoomsRemoteModelTest {

    @Parameter
    Database.Kind database;

    static TestHost host;
    static TestHttp admin;
    static FakeOpenAiServer fake;

    @BeforeParameterizedClassInvocation
    static void start(Database.Kind database) throws IOException {
        Path personalities = Files.createTempDirectory("nexus-rooms-remote-");
        for (String id : List.of("zen-engineer", "wry-historian", "startup-coach")) {
            Path target = Files.createDirectories(personalities.resolve(id));
            Files.copy(Path.of("..", "personalities", id, "persona.yaml"), target.resolve("persona.yaml"));
        }
        fake = FakeOpenAiServer.start();
        host = TestHost.builder()
                .database(database)
                .env("NEXUS_PERSONALITIES_DIR", personalities.toString())
                .env("NEXUS_LLM_BASE_URL", fake.baseUrl())
                .env("NEXUS_LLM_API_KEY", "local")
                .env("NEXUS_LLM_MODEL", "fake-model")
                .start();
        admin = host.http();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        host.close();
        fake.close();
    }

    private static String userKey(String user) {
        return (String) TestHttp.json(RoomsApiTest.expect(
                        admin.post(
                                "/v1/keys",
                                "{\"name\":\"" + user + "'s key\",\"scopes\":[\"user\"],\"user\":\"" + user + "\"}"),
                        201))
                .get("secret");
    }

    @Test
    void aLateJoinersPrompt_holdsNothingSaidBeforeItJoined() {
        TestHttp eve = admin.withKey(userKey("eve-" + database));
        String id = (String) TestHttp.json(RoomsApiTest.expect(
                        eve.post(
                                "/v1/rooms",
                                "{\"title\":\"Secret\",\"policy\":\"mention\",\"personalities\":[\"zen-engineer\"]}"),
                        201))
                .get("id");
        fake.enqueue(reply("Noted."));
        RoomsApiTest.expect(
                eve.post(
                        "/v1/rooms/" + id + "/messages", "{\"message\":\"@zen-engineer the code word is PELICAN-42\"}"),
                200);
        RoomsApiTest.expect(eve.post("/v1/rooms/" + id + "/participants", "{\"personality\":\"wry-historian\"}"), 200);

        fake.enqueue(reply("I was not here for that."));
        Map<String, Object> asked = TestHttp.json(RoomsApiTest.expect(
                eve.post("/v1/rooms/" + id + "/messages", "{\"message\":\"@wry-historian what is the code word?\"}"),
                200));
        String historianPrompt = String.valueOf(fake.lastRequest().messages());
        assertThat(historianPrompt)
                .doesNotContain("PELICAN")
                .contains("what is the code word?")
                .contains("Wry Historian (wry-historian) joined");
        Map<String, Object> answer = ((List<Map<String, Object>>) asked.get("replies")).get(0);
        assertThat(answer).containsEntry("content", "I was not here for that.");
        assertThat((Map<String, Object>) answer.get("metadata"))
                .containsEntry("offline", false)
                .containsEntry("model", "openai/fake-model");

        fake.enqueue(reply("PELICAN-42."));
        RoomsApiTest.expect(
                eve.post("/v1/rooms/" + id + "/messages", "{\"message\":\"@zen-engineer remind us?\"}"), 200);
        List<Map<String, Object>> zenPrompt = fake.lastRequest().messages();
        assertThat(String.valueOf(zenPrompt)).contains("PELICAN-42");
        // Its own earlier turn is an assistant message; the others' are user messages named by speaker.
        assertThat(zenPrompt)
                .anySatisfy(
                        m -> assertThat(m).containsEntry("role", "assistant").containsEntry("content", "Noted."));
        assertThat(zenPrompt)
                .anySatisfy(m -> assertThat(m)
                        .containsEntry("role", "user")
                        .containsEntry("content", "Wry Historian: I was not here for that."));
    }

    @Test
    void aDebate_withAModel_countsTheVote_andKeepsASynthesisThatCitesEveryone() {
        TestHttp fay = admin.withKey(userKey("fay-" + database));
        String id = (String) TestHttp.json(RoomsApiTest.expect(
                        fay.post(
                                "/v1/rooms",
                                "{\"title\":\"Rewrite\",\"policy\":\"mention\",\"personalities\":[\"zen-engineer\",\"wry-historian\",\"startup-coach\"]}"),
                        201))
                .get("id");
        fake.enqueue(
                reply("Zen: refactor in small steps."),
                reply("Historian: rewrites rarely end well."),
                reply("Coach: ship first."));
        for (int i = 0; i < 6; i++) {
            fake.enqueue(reply("Rebuttal " + (i + 1) + "."));
        }
        fake.enqueue(
                reply("Wry Historian, for the record of failed rewrites."),
                reply("Zen Engineer: small steps win."),
                reply("Wry Historian. History is on his side."));
        fake.enqueue(reply(
                "We agree rewrites are risky: [Zen Engineer] wants small steps, [Wry Historian] cites failed rewrites, "
                        + "[Startup Coach] wants to keep shipping. Conclusion: refactor incrementally."));

        Map<String, Object> run = TestHttp.json(RoomsApiTest.expect(
                fay.post(
                        "/v1/rooms/" + id + "/protocols",
                        "{\"protocol\":\"debate\",\"question\":\"Rewrite the legacy system?\",\"rounds\":3}"),
                200));

        Map<String, Object> synthesis = (Map<String, Object>) run.get("synthesis");
        assertThat((String) synthesis.get("content")).startsWith("We agree rewrites are risky");
        Map<String, Object> meta = (Map<String, Object>) synthesis.get("metadata");
        assertThat(meta).containsEntry("stage", "synthesis").containsEntry("offline", false);
        assertThat(synthesis).containsEntry("speaker", "zen-engineer");
        assertThat((List<String>) meta.get("winners")).containsExactly("wry-historian");
        assertThat((Map<String, Object>) meta.get("votes"))
                .containsEntry("wry-historian", 2)
                .containsEntry("zen-engineer", 1);
        assertThat(fake.lastRequest()
                        .messages()
                        .get(fake.lastRequest().messages().size() - 1)
                        .get("content")
                        .toString())
                .startsWith("[moderator] Write the final synthesis")
                .contains("[Zen Engineer]");
    }

    @Test
    void aPanelSynthesis_thatLeavesSomeoneOut_isCompletedWithTheirQuotedWords() {
        TestHttp gus = admin.withKey(userKey("gus-" + database));
        String id = (String) TestHttp.json(RoomsApiTest.expect(
                        gus.post(
                                "/v1/rooms",
                                "{\"title\":\"Panel\",\"policy\":\"mention\",\"personalities\":[\"zen-engineer\",\"wry-historian\"]}"),
                        201))
                .get("id");
        fake.enqueue(
                reply("Breathe, then profile."),
                reply("Every age had its slow code."),
                reply("Only [Zen Engineer] said anything useful."));

        Map<String, Object> run = TestHttp.json(RoomsApiTest.expect(
                gus.post(
                        "/v1/rooms/" + id + "/protocols",
                        "{\"protocol\":\"panel\",\"question\":\"How do we speed up the build?\"}"),
                200));

        Map<String, Object> synthesis = (Map<String, Object>) run.get("synthesis");
        assertThat(synthesis).containsEntry("speakerKind", "system");
        assertThat((String) synthesis.get("content"))
                .startsWith("Citations the synthesis left out")
                .contains("[Wry Historian] \"Every age had its slow code.\"");
        List<Map<String, Object>> transcript = (List<Map<String, Object>>) run.get("transcript");
        assertThat(transcript).extracting(m -> m.get("content")).contains("Only [Zen Engineer] said anything useful.");
    }
}
