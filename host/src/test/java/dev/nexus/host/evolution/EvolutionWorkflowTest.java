package dev.nexus.host.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.approval.ApprovalConfig;
import dev.nexus.host.approval.ApprovalRoutes;
import dev.nexus.host.approval.InMemoryPersonalities;
import dev.nexus.host.approval.ProposalService;
import dev.nexus.host.auth.ApiKeys;
import dev.nexus.host.auth.Caller;
import dev.nexus.host.auth.Scope;
import dev.nexus.host.db.Database;
import dev.nexus.host.http.HttpServer;
import dev.nexus.host.http.Route;
import dev.nexus.host.http.ServerConfig;
import dev.nexus.host.json.Json;
import dev.nexus.host.persona.Trait;
import dev.nexus.host.persona.Traits;
import dev.nexus.host.testing.TestDatabase;
import dev.nexus.host.testing.TestDatabases;
import dev.nexus.host.testing.TestHttp;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The "done when" of issue 6 up to the chat boundary, over real HTTP: replies rated "too long", an
 * evolution run, a pending proposal lowering verbosity with its evidence, approval by a second key,
 * a shorter next reply, and a rollback that restores the old length. Chat is stood in for by
 * {@link FakeChat} until the conversation store lands.
 */
@ParameterizedClass
@MethodSource(TestDatabases.KINDS)
class EvolutionWorkflowTest {

    @Parameter
    Database.Kind database;

    private static final String ADMIN = "nxk_evolution-admin-key-0123456789";

    private TestDatabase db;
    private HttpServer server;
    private InMemoryPersonalities personalities;
    private FakeChat chat;
    private TestHttp admin;
    private TestHttp reviewer;
    private TestHttp user;

    @BeforeEach
    void start() {
        db = TestDatabases.of(database);
        Clock clock = Clock.systemUTC();
        ApiKeys keys = new ApiKeys(db.database(), clock);
        keys.bootstrap(Optional.of(ADMIN));
        Caller root = keys.authenticate(ADMIN);
        personalities = new InMemoryPersonalities()
                .add(
                        "sage",
                        Traits.of(List.of(
                                Trait.of("verbosity", 0.8), Trait.of("formality", 0.5), Trait.of("humor", 0.3))));
        chat = new FakeChat(personalities);
        ProposalService proposals = new ProposalService(db.database(), clock, ApprovalConfig.defaults())
                .withPersonalities(personalities, personalities);
        EvolutionService evolution = new EvolutionService(
                db.database(),
                personalities,
                chat,
                proposals,
                new EvolutionConfig(null, null, null, 0, null, null),
                Runnable::run,
                clock,
                new SplittableRandom(1),
                List::of);
        List<Route> routes = new ArrayList<>(new EvolutionRoutes(evolution).routes());
        routes.addAll(new ApprovalRoutes(proposals).routes());
        server = HttpServer.start(new ServerConfig("127.0.0.1", 0, db.toString(), null), keys::authenticate, routes);
        admin = new TestHttp(server.baseUri(), ADMIN);
        reviewer =
                admin.withKey(keys.create("reviewer", Set.of(Scope.APPROVER, Scope.USER), Optional.of("reviewer"), root)
                        .secret());
        user = admin.withKey(keys.create("someone", Set.of(Scope.USER), Optional.of("someone"), root)
                .secret());
    }

    @AfterEach
    void stop() {
        server.close();
        db.close();
    }

    @Test
    void tooLong_run_approve_shorter_rollback_restores() throws Exception {
        int before = chat.say("sage").replyLength();
        for (int i = 0; i < 5; i++) {
            String message = chat.say("sage").messageId();
            assertThat(admin.post(
                                    "/v1/feedback",
                                    "{\"message\":\"" + message + "\",\"rating\":2,\"critiques\":[\"too long\"]}")
                            .statusCode())
                    .isEqualTo(201);
        }

        HttpResponse<String> started = admin.post("/v1/evolution/runs", "{\"personality\":\"sage\",\"seed\":7}");
        assertThat(started.statusCode()).isEqualTo(202);
        Map<String, Object> run = Json.readMap(
                admin.get("/v1/evolution/runs/" + Json.readMap(started.body()).get("id"))
                        .body());
        assertThat(run.get("state")).isEqualTo("succeeded");
        assertThat((List<?>) run.get("progress")).hasSize(30);

        Map<String, Object> pending = onlyPending();
        assertThat(pending.get("id")).isEqualTo(run.get("proposal"));
        assertThat(pending.get("kind")).isEqualTo("trait-change");
        Map<?, ?> payload = (Map<?, ?>) pending.get("payload");
        assertThat(((Number) ((Map<?, ?>) payload.get("values")).get("verbosity")).doubleValue())
                .isLessThan(0.8);
        Map<?, ?> evidence = (Map<?, ?>) payload.get("evidence");
        assertThat(evidence.get("seed")).isEqualTo(7);
        assertThat(evidence.get("feedbackCount")).isEqualTo(5);
        assertThat(evidence.get("critiqueCount")).isEqualTo(5);
        Map<?, ?> fitness = (Map<?, ?>) payload.get("fitness");
        assertThat(((Number) fitness.get("proposed")).doubleValue())
                .isGreaterThan(((Number) fitness.get("current")).doubleValue());

        String id = (String) pending.get("id");
        String sha = (String) pending.get("sha256");
        HttpResponse<String> own = admin.post("/v1/proposals/" + id + "/approve", approval(sha));
        assertThat(own.statusCode()).isEqualTo(403);
        assertThat(own.body()).contains("cannot approve it; another approver's key must decide");
        assertThat(user.post("/v1/proposals/" + id + "/approve", approval(sha)).statusCode())
                .isEqualTo(403);
        HttpResponse<String> wrongHash = reviewer.post("/v1/proposals/" + id + "/approve", approval("f".repeat(64)));
        assertThat(wrongHash.statusCode()).isEqualTo(409);
        assertThat(wrongHash.body()).contains("re-read the proposal");

        HttpResponse<String> approved = reviewer.post("/v1/proposals/" + id + "/approve", approval(sha));
        assertThat(approved.statusCode()).isEqualTo(200);
        assertThat(Json.readMap(approved.body()).get("state")).isEqualTo("applied");
        int after = chat.say("sage").replyLength();
        assertThat(after).isLessThan(before);

        HttpResponse<String> rollback = reviewer.post(
                "/v1/proposals",
                "{\"kind\":\"rollback\",\"personality\":\"sage\",\"version\":1,\"reason\":\"too terse now\"}");
        assertThat(rollback.statusCode()).isEqualTo(201);
        Map<String, Object> back = Json.readMap(rollback.body());
        HttpResponse<String> restored =
                admin.post("/v1/proposals/" + back.get("id") + "/approve", approval((String) back.get("sha256")));
        assertThat(restored.statusCode()).isEqualTo(200);
        assertThat(chat.say("sage").replyLength()).isEqualTo(before);
        assertThat(personalities.history("sage"))
                .extracting(v -> v.source().split(":")[0])
                .containsExactly("api", "evolution", "rollback");

        Map<String, Object> detail =
                Json.readMap(reviewer.get("/v1/proposals/" + id).body());
        List<String> transitions = ((List<?>) detail.get("history"))
                .stream().map(e -> String.valueOf(((Map<?, ?>) e).get("to"))).toList();
        assertThat(transitions).containsExactly("pending", "applied");
    }

    @Test
    void feedback_whenInvalid_isRefusedWith400AndNothingIsStored() {
        String message = chat.say("sage").messageId();
        assertProblem(
                admin.post("/v1/feedback", "{\"message\":\"" + message + "\",\"rating\":7}"),
                400,
                "rating must be a whole number of stars from 1 to 5, or \\\"up\\\" or \\\"down\\\"; got 7");
        assertProblem(
                admin.post("/v1/feedback", "{\"message\":\"" + message + "\",\"rating\":4.5}"),
                400,
                "rating must be a whole number of stars");
        assertProblem(
                admin.post("/v1/feedback", "{\"message\":\"" + message + "\",\"critiques\":[\"too spicy\"]}"),
                400,
                "unknown critique 'too spicy'; the vocabulary is [too-long, too-short");
        assertProblem(
                admin.post(
                        "/v1/feedback", "{\"message\":\"" + message + "\",\"critiques\":[\"too long\",\"too-short\"]}"),
                400,
                "critiques 'too-long' and 'too-short' contradict each other (both about verbosity); keep one");
        assertProblem(
                admin.post("/v1/feedback", "{\"message\":\"" + message + "\",\"critiques\":[\"too-cold\"]}"),
                400,
                "critique 'too-cold' concerns trait 'warmth', which personality 'sage' (version 1) does not declare");
        assertProblem(
                admin.post("/v1/feedback", "{\"message\":\"" + message + "\"}"),
                400,
                "feedback needs a rating (1-5 or \\\"up\\\"/\\\"down\\\"), critiques or a comment");
        assertProblem(
                admin.post("/v1/feedback", "{\"message\":\"" + message + "\",\"rating\":3,\"stars\":3}"), 400, "stars");
        assertProblem(
                admin.post("/v1/feedback", "{\"message\":\"" + message + "\",\"critiques\":\"too-long\"}"),
                400,
                "critiques");
        assertProblem(admin.post("/v1/feedback", "{\"message\":\"" + message), 400, "");
        assertProblem(
                admin.post("/v1/feedback", "{\"message\":\"nope\",\"rating\":3}"),
                404,
                "no reply with message id 'nope'");
        assertProblem(
                admin.post("/v1/feedback", "{\"message\":\"" + "x".repeat(500) + "\",\"rating\":3}"),
                400,
                "message must be the id of a reply (1-64 characters)");
        assertProblem(
                admin.post(
                        "/v1/feedback", "{\"message\":\"" + message + "\",\"comment\":\"" + "y".repeat(5000) + "\"}"),
                400,
                "comment must be at most 4000 characters, got 5000");

        assertThat(admin.post("/v1/feedback", "{\"message\":\"" + message + "\",\"rating\":\"up\"}")
                        .statusCode())
                .isEqualTo(201);
        assertProblem(
                admin.post("/v1/feedback", "{\"message\":\"" + message + "\",\"rating\":\"down\"}"),
                400,
                "from this key already exists");
        assertThat(user.post("/v1/feedback", "{\"message\":\"" + message + "\",\"rating\":5}")
                        .statusCode())
                .isEqualTo(201);
    }

    @Test
    @SuppressWarnings("unchecked")
    void feedbackOnAReply_isListedForAdmins_only() {
        String message = chat.say("sage").messageId();
        admin.post("/v1/feedback", "{\"message\":\"" + message + "\",\"critiques\":[\"too long\"]}");
        user.post("/v1/feedback", "{\"message\":\"" + message + "\",\"rating\":4}");

        List<Map<String, Object>> listed = (List<Map<String, Object>>)
                Json.readMap(admin.get("/v1/feedback?message=" + message).body())
                        .get("feedback");

        assertThat(listed).extracting(f -> f.get("message")).containsExactly(message, message);
        assertThat(listed).extracting(f -> f.get("critiques")).containsExactly(List.of("too-long"), List.of());
        assertThat(Json.readMap(admin.get("/v1/feedback?message=nope").body()))
                .isEqualTo(Map.of("feedback", List.of()));
        assertProblem(
                admin.get("/v1/feedback"),
                400,
                "query parameter 'message' is required: the id of the reply whose feedback to list");
        assertProblem(
                admin.get("/v1/feedback?message=" + "x".repeat(65)),
                400,
                "message must be the id of a reply (1-64 characters)");
        assertThat(user.get("/v1/feedback?message=" + message).statusCode()).isEqualTo(403);
        // Raters and their comments are users' data: approvers review proposals, not raw feedback (issue 11).
        assertThat(reviewer.get("/v1/feedback?message=" + message).statusCode()).isEqualTo(403);
    }

    @Test
    void runs_whenInvalid_areRefusedWithClearProblems() {
        assertProblem(admin.post("/v1/evolution/runs", "{\"personality\":\"ghost\"}"), 404, "ghost");
        assertProblem(
                admin.post("/v1/evolution/runs", "{\"personality\":\"sage\",\"population\":2}"),
                400,
                "population must be between 4 and 1000, got 2");
        assertProblem(
                admin.post("/v1/evolution/runs", "{\"personality\":\"sage\",\"generations\":\"many\"}"),
                400,
                "generations");
        assertProblem(
                admin.post("/v1/evolution/runs", "{\"personality\":\"Not An Id!\"}"), 400, "personality id must be");
        assertProblem(admin.get("/v1/evolution/runs/unknown"), 404, "unknown");
        assertProblem(
                admin.post("/v1/proposals", "{\"kind\":\"trait-change\",\"personality\":\"sage\",\"version\":1}"),
                400,
                "only 'rollback' proposals can be made over HTTP");
        assertProblem(user.get("/v1/proposals"), 403, "");
        assertProblem(admin.get("/v1/proposals?state=maybe"), 400, "unknown proposal state 'maybe'");
    }

    @Test
    void events_streamEveryTransition() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<InputStream> stream = client.send(
                reviewer.request("/v1/proposals/events").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).isEqualTo(": subscribed");
            CompletableFuture<String> data = CompletableFuture.supplyAsync(() -> {
                try {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (line.startsWith("data:")) {
                            return line;
                        }
                    }
                    return "";
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            for (int i = 0; i < 3; i++) {
                admin.post(
                        "/v1/feedback",
                        "{\"message\":\"" + chat.say("sage").messageId() + "\",\"critiques\":[\"too-long\"]}");
            }
            admin.post("/v1/evolution/runs", "{\"personality\":\"sage\",\"seed\":3}");

            String event = data.get(20, TimeUnit.SECONDS);
            assertThat(event)
                    .contains("\"from\":\"none\"")
                    .contains("\"to\":\"pending\"")
                    .contains("\"kind\":\"trait-change\"");
        }
    }

    private Map<String, Object> onlyPending() {
        List<?> pending = (List<?>)
                Json.readMap(reviewer.get("/v1/proposals?state=pending").body()).get("proposals");
        assertThat(pending).hasSize(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> only = (Map<String, Object>) pending.get(0);
        return only;
    }

    private static String approval(String sha) {
        return "{\"sha256\":\"" + sha + "\",\"reason\":\"shorter replies were asked for\"}";
    }

    private static void assertProblem(HttpResponse<String> response, int status, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains(detail);
    }
}
