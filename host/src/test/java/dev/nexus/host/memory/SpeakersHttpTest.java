package dev.nexus.host.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.llm.FakeOpenAiServer;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Speakers (issue 16, item 5), through the real server on H2 and PostgreSQL: a conversation holds
 * turns of several named people; the stored message says who said it; what another person says of
 * themselves ("I moved to Oslo", said by Ana in the user's group chat) is a fact about them in the
 * user's relationship graph, never about the user; the prompt shows who said what; one user's group
 * chat is nobody else's; a bad speaker is a 400 naming the field.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class SpeakersHttpTest {

    private static final String PERSONA = """
            {"id": "keeper", "name": "Keeper", "description": "A personality that remembers.", "greetings": ["Hello."]}""";

    @Parameter
    Database.Kind database;

    static TestHost host;

    @BeforeParameterizedClassInvocation
    static void start(Database.Kind database) {
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

    private static Map<String, Object> chat(
            TestHttp http, String user, Optional<String> conversation, String message, Map<String, ?> speaker) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("personality", "keeper");
        if (!user.isEmpty()) {
            body.put("user", user);
        }
        conversation.ifPresent(id -> body.put("conversation", id));
        body.put("message", message);
        if (!speaker.isEmpty()) {
            body.put("speaker", speaker);
        }
        HttpResponse<String> response = http.post("/v1/chat", Json.write(body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttp.json(response);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> facts(TestHttp http, String user) {
        HttpResponse<String> response = http.get("/v1/memory/facts?user=" + user);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (List<Map<String, Object>>) TestHttp.json(response).get("facts");
    }

    /** Background extraction has no completion signal over HTTP; poll the facts (no timed assertion). */
    private static Map<String, Object> waitForFact(TestHttp http, String user, Predicate<String> text)
            throws InterruptedException {
        for (int i = 0; i < 400; i++) {
            for (Map<String, Object> fact : facts(http, user)) {
                if (text.test((String) fact.get("fact"))) {
                    return fact;
                }
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no such fact for " + user + ": " + facts(http, user));
    }

    @Test
    @SuppressWarnings("unchecked")
    void whatAnaSaysInTheUsersGroupChat_isAFactAboutAna_andTheUsersOwnTurnsStayTheirs() throws Exception {
        String user = "kim-" + database;
        String conversation = (String) chat(host.http(), user, Optional.empty(), "I live in Tromsø", Map.of())
                .get("conversation");
        waitForFact(host.http(), user, "The user lives in Tromsø"::equals);

        Map<String, Object> turn = chat(
                host.http(),
                user,
                Optional.of(conversation),
                "I moved to Oslo",
                Map.of("name", "Ana", "id", "telegram:4711"));
        assertThat((Map<String, Object>) turn.get("userMessage"))
                .containsEntry("speaker", Map.of("name", "Ana", "id", "telegram:4711"));
        Map<String, Object> ana = waitForFact(host.http(), user, t -> t.startsWith("Ana lives in"));
        assertThat(ana)
                .containsEntry("fact", "Ana lives in Oslo")
                .containsEntry("about", Map.of("relation", "", "name", "Ana"));
        // The user's home is still Tromsø: Ana's move superseded nothing of theirs.
        assertThat(facts(host.http(), user))
                .extracting(f -> (String) f.get("fact"))
                .contains("The user lives in Tromsø")
                .doesNotContain("The user lives in Oslo");

        HttpResponse<String> graph = host.http().get("/v1/memory/people?user=" + user);
        assertThat(graph.statusCode()).as(graph.body()).isEqualTo(200);
        assertThat((List<Map<String, Object>>) TestHttp.json(graph).get("people"))
                .singleElement()
                .satisfies(person -> {
                    assertThat(person).containsEntry("name", "Ana");
                    assertThat((List<Map<String, Object>>) person.get("facts"))
                            .extracting(f -> f.get("fact"))
                            .containsExactly("Ana lives in Oslo");
                });

        // Who said what is stored with the message and the episode.
        HttpResponse<String> messages = host.http().get("/v1/conversations/" + conversation + "/messages");
        assertThat(messages.statusCode()).as(messages.body()).isEqualTo(200);
        List<Map<String, Object>> said = ((List<Map<String, Object>>)
                        TestHttp.json(messages).get("messages"))
                .stream().filter(m -> "user".equals(m.get("role"))).toList();
        assertThat(said)
                .extracting(m -> m.get("speaker"))
                .containsExactly(null, Map.of("name", "Ana", "id", "telegram:4711"));
        HttpResponse<String> search = host.http().get("/v1/memory/search?user=" + user + "&q=Oslo");
        assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
        assertThat((List<Map<String, Object>>) TestHttp.json(search).get("results"))
                .extracting(r -> (String) r.get("text"))
                .contains("Ana: I moved to Oslo", "Ana lives in Oslo")
                .doesNotContain("I moved to Oslo");

        // A speaker whose id is the user's own is the user: their move is theirs, and supersedes Tromsø.
        chat(host.http(), user, Optional.of(conversation), "I moved to Bergen", Map.of("name", "Kim", "id", user));
        waitForFact(host.http(), user, "The user lives in Bergen"::equals);
        assertThat(facts(host.http(), user))
                .extracting(f -> (String) f.get("fact"))
                .doesNotContain("The user lives in Tromsø");
        // The user's relationship with the personality counts the user's two turns, not Ana's.
        assertThat(interactions(user)).isEqualTo(2);
    }

    /** The user's turns with keeper so far, once at least two are counted (no timed assertion). */
    @SuppressWarnings("unchecked")
    private static long interactions(String user) throws InterruptedException {
        long count = 0;
        for (int i = 0; i < 400 && count < 2; i++) {
            List<Map<String, Object>> relationships = (List<Map<String, Object>>)
                    TestHttp.json(host.http().get("/v1/memory/profile/" + user)).get("relationships");
            count = relationships.stream()
                    .mapToLong(r -> ((Number) r.get("interactionCount")).longValue())
                    .sum();
            if (count < 2) {
                Thread.sleep(25);
            }
        }
        return count;
    }

    @Test
    @SuppressWarnings("unchecked")
    void anotherUser_seesNothingOfTheGroupChat_andCannotSpeakInIt() throws Exception {
        String owner = "owner-" + database;
        String other = "other-" + database;
        TestHttp ownerHttp = host.http().withKey(userKey(owner));
        TestHttp otherHttp = host.http().withKey(userKey(other));
        String conversation =
                (String) chat(ownerHttp, "", Optional.empty(), "My sister Eva is a nurse", Map.of("name", "Ana"))
                        .get("conversation");
        waitForFact(ownerHttp, owner, t -> t.startsWith("Ana's sister Eva"));

        assertThat(ownerHttp.get("/v1/memory/people?user=" + owner).body()).contains("ana's sister");
        assertThat(otherHttp.get("/v1/memory/people?user=" + owner).statusCode())
                .isEqualTo(403);
        assertThat(otherHttp.get("/v1/memory/search?user=" + owner + "&q=Eva").statusCode())
                .isEqualTo(403);
        assertThat((List<?>) TestHttp.json(otherHttp.get("/v1/memory/people?user=" + other))
                        .get("people"))
                .isEmpty();
        assertThat(facts(otherHttp, other)).isEmpty();
        HttpResponse<String> intrude = otherHttp.post(
                "/v1/chat",
                Json.write(Map.of(
                        "personality",
                        "keeper",
                        "conversation",
                        conversation,
                        "message",
                        "I moved to Oslo",
                        "speaker",
                        Map.of("name", "Ana"))));
        assertThat(intrude.statusCode()).as(intrude.body()).isEqualTo(404);
    }

    private static String userKey(String user) {
        HttpResponse<String> created = host.http()
                .post("/v1/keys", "{\"name\":\"" + user + "'s key\",\"scopes\":[\"user\"],\"user\":\"" + user + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return (String) TestHttp.json(created).get("secret");
    }

    @Test
    void aBadSpeaker_isA400NamingTheField_andNothingIsStored() {
        String user = "refused-" + database;
        List<Map<String, Object>> bad = List.of(
                Map.of("name", ""),
                Map.of("name", "   "),
                Map.of("name", "Ana\u0007"),
                Map.of("name", "A".repeat(10_000)),
                Map.of("name", "Ana", "id", "x".repeat(10_000)),
                Map.of("id", "telegram:1"));
        for (Map<String, Object> speaker : bad) {
            HttpResponse<String> response = host.http()
                    .post(
                            "/v1/chat",
                            Json.write(Map.of(
                                    "personality", "keeper", "user", user, "message", "hello", "speaker", speaker)));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(response.body()).containsAnyOf("speaker.name", "speaker.id");
            assertThat(response.body().length()).isLessThan(2_000);
        }
        HttpResponse<String> unknownField = host.http()
                .post(
                        "/v1/chat",
                        Json.write(Map.of(
                                "personality",
                                "keeper",
                                "user",
                                user,
                                "message",
                                "hello",
                                "speaker",
                                Map.of("name", "Ana", "nick", "A"))));
        assertThat(unknownField.statusCode()).as(unknownField.body()).isEqualTo(400);
        assertThat(unknownField.body()).contains("nick");
        assertThat(TestHttp.json(host.http().get("/v1/conversations?user=" + user))
                        .get("conversations"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void withAModel_thePromptShowsWhoSaidWhat_andTheModelsFactIsAttributedToTheSpeaker() throws Exception {
        try (FakeOpenAiServer fake = FakeOpenAiServer.start()
                        .defaultReply("How lovely.")
                        .factReply("{\"facts\":[{\"fact\":\"The user lives in Oslo\","
                                + "\"category\":\"location\",\"confidence\":0.9,\"slot\":\"home\"}]}");
                TestHost modelHost = TestHost.builder()
                        .database(database)
                        .env("NEXUS_LLM_BASE_URL", fake.baseUrl())
                        .env("NEXUS_LLM_API_KEY", "local")
                        .env("NEXUS_LLM_MODEL", "llama3.2")
                        .start()) {
            assertThat(modelHost.http().post("/v1/personalities", PERSONA).statusCode())
                    .isEqualTo(201);
            String user = "group-" + database;
            String conversation = (String)
                    chat(modelHost.http(), user, Optional.empty(), "I moved to Oslo last month", Map.of("name", "Ana"))
                            .get("conversation");
            Map<String, Object> ana = waitForFact(modelHost.http(), user, t -> t.startsWith("Ana lives in"));
            assertThat(ana)
                    .containsEntry("fact", "Ana lives in Oslo")
                    .containsEntry("about", Map.of("relation", "", "name", "Ana"));

            chat(modelHost.http(), user, Optional.of(conversation), "Welcome to the city!", Map.of("name", "Ola"));
            List<String> said = fake.requests().stream()
                    .filter(r -> String.valueOf(r.messages()).contains("Welcome to the city!"))
                    .findFirst()
                    .orElseThrow()
                    .messages()
                    .stream()
                    .filter(m -> "user".equals(m.get("role")))
                    .map(m -> String.valueOf(m.get("content")))
                    .toList();
            assertThat(said).containsSubsequence("Ana: I moved to Oslo last month", "Ola: Welcome to the city!");
        }
    }
}
