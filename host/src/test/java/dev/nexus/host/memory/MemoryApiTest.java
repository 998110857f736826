package dev.nexus.host.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code /v1/memory} and {@code /v1/knowledge} on a real host (port 0, H2, bundled embedding model). */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class MemoryApiTest {

    /** The backend this invocation runs on (also handed to {@code start}). */
    @Parameter
    Database.Kind database;

    static TestHost host;

    @BeforeParameterizedClassInvocation
    static void start(Database.Kind database) {
        host = TestHost.start(database);
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        host.close();
    }

    private static TestHttp http() {
        return host.http();
    }

    private static void assertProblem(HttpResponse<String> response, int status, String detailPart) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat((String) TestHttp.json(response).get("detail")).contains(detailPart);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(HttpResponse<String> response, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (List<Map<String, Object>>) TestHttp.json(response).get(field);
    }

    @Test
    void facts_createListSearchAndDelete() {
        HttpResponse<String> created = http().post(
                        "/v1/memory/facts",
                        "{\"user\": \"api-ana\", \"fact\": \"The user is training for a marathon\", \"category\": \"goal\"}");
        http().post("/v1/memory/facts", "{\"user\": \"api-ana\", \"fact\": \"The user owns a green kayak\"}");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Map<String, Object> fact = TestHttp.json(created);
        assertThat(fact)
                .containsEntry("category", "goal")
                .containsEntry("source", "explicit")
                .containsEntry("user", "api-ana");
        assertThat(list(http().get("/v1/memory/facts?user=api-ana"), "facts")).hasSize(2);

        List<Map<String, Object>> results =
                list(http().get("/v1/memory/search?q=running+a+long+race&user=api-ana&limit=5"), "results");
        assertThat(results).first().satisfies(r -> {
            assertThat(r)
                    .containsEntry("text", "The user is training for a marathon")
                    .containsEntry("kind", "fact");
            assertThat((Map<String, Object>) r.get("components"))
                    .containsKeys("relevance", "similarity", "recency", "importance");
        });

        assertThat(http().delete("/v1/memory/facts/" + fact.get("id")).statusCode())
                .isEqualTo(204);
        assertThat(list(http().get("/v1/memory/facts?user=api-ana"), "facts")).hasSize(1);
        assertProblem(http().delete("/v1/memory/facts/" + fact.get("id")), 404, "no fact");
        assertThat(TestHttp.json(http().delete("/v1/memory/facts?user=api-ana")))
                .containsEntry("deleted", 1);
        assertThat(list(http().get("/v1/memory/facts?user=api-ana"), "facts")).isEmpty();
    }

    @Test
    void facts_badInput_is400_andNothingIsStored() {
        assertProblem(
                http().post("/v1/memory/facts", "{\"user\": \"api-bad\", \"fact\": \"" + "x".repeat(1200) + "\"}"),
                400,
                "fact is 1200 characters, at most 1000");
        assertProblem(
                http().post("/v1/memory/facts", "{\"user\": \"api-bad\", \"fact\": \"f\", \"category\": \"gossip\"}"),
                400,
                "unknown fact category 'gossip'");
        assertProblem(
                http().post("/v1/memory/facts", "{\"user\": \"api-bad\", \"fact\": \"f\", \"confidence\": \"high\"}"),
                400,
                "confidence");
        assertProblem(
                http().post("/v1/memory/facts", "{\"user\": \"api-bad\", \"fact\": \"f\""),
                400,
                "ends before it is complete");
        assertProblem(
                http().post("/v1/memory/facts", "{\"user\": \"api-bad\", \"fact\": \"f\", \"extra\": 1}"),
                400,
                "unknown field 'extra'");
        assertProblem(http().get("/v1/memory/facts"), 400, "query parameter 'user' is required");
        assertProblem(http().get("/v1/memory/facts?user=api-bad&limit=lots"), 400, "'limit' must be a whole number");
        assertProblem(http().get("/v1/memory/search?user=api-bad"), 400, "the search text 'q' is required");
        assertProblem(http().get("/v1/memory/search?user=api-bad&q=x&since=yesterday"), 400, "ISO-8601 instant");
        assertProblem(
                http().get("/v1/memory/search?user=api-bad&q=x&limit=1000"), 400, "limit must be between 1 and 100");

        assertThat(list(http().get("/v1/memory/facts?user=api-bad"), "facts")).isEmpty();
    }

    @Test
    void profile_putThenGet_andOversizedAttributesAre400() {
        HttpResponse<String> put = http().put(
                        "/v1/memory/profile/api-joe",
                        "{\"displayName\": \"Joe\", \"attributes\": {\"language\": \"pt\"}}");

        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        Map<String, Object> profile = TestHttp.json(http().get("/v1/memory/profile/api-joe"));
        assertThat(profile).containsEntry("displayName", "Joe").containsEntry("attributes", Map.of("language", "pt"));
        assertProblem(
                http().put("/v1/memory/profile/api-joe", "{\"attributes\": {\"bio\": \"" + "y".repeat(600) + "\"}}"),
                400,
                "attribute 'bio' must be a string of at most 500 characters");
        assertThat(TestHttp.json(http().get("/v1/memory/profile/api-joe"))).containsEntry("displayName", "Joe");
    }

    @Test
    void knowledgePacks_importActivateAndDeactivate() {
        HttpResponse<String> imported = http().post(
                        "/v1/knowledge/packs",
                        "application/yaml",
                        "id: api-garden\nname: Garden\ntopics: [garden]\nfacts: [Water early in the morning.]\n"
                                .getBytes());

        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
        assertThat(list(http().get("/v1/knowledge/packs"), "packs"))
                .anySatisfy(p -> assertThat(p).containsEntry("id", "api-garden"));
        HttpResponse<String> activated =
                http().post("/v1/knowledge/packs/api-garden/activation", "{\"personality\": \"sage\"}");
        assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
        assertThat(TestHttp.json(activated)).containsEntry("activations", Map.of("sage", "always"));
        HttpResponse<String> never =
                http().post("/v1/knowledge/packs/api-garden/activation?personality=jester&mode=never", "");
        assertThat(TestHttp.json(never)).containsEntry("activations", Map.of("sage", "always", "jester", "never"));
        HttpResponse<String> cleared = http().delete("/v1/knowledge/packs/api-garden/activation?personality=sage");
        assertThat(TestHttp.json(cleared)).containsEntry("activations", Map.of("jester", "never"));

        assertProblem(http().post("/v1/knowledge/packs/api-garden/activation", "{}"), 400, "name the personality");
        assertProblem(
                http().post("/v1/knowledge/packs/nope/activation", "{\"personality\": \"sage\"}"),
                404,
                "no knowledge pack 'nope'");
        assertProblem(
                http().post(
                                "/v1/knowledge/packs",
                                "application/json",
                                "{\"id\": \"x\", \"name\": \"X\", \"entries\": [{}]}".getBytes()),
                400,
                "entries[0] content must be 1-100000 characters");
        assertThat(http().delete("/v1/knowledge/packs/api-garden").statusCode()).isEqualTo(204);
        assertProblem(http().get("/v1/knowledge/packs/api-garden"), 404, "no knowledge pack 'api-garden'");
    }

    @Test
    void knowledgePackUpload_withYamlAliasesOrADuplicateKey_isRefusedWith400NamingTheProblem() {
        StringBuilder bomb = new StringBuilder("id: bomb\nname: Bomb\ntopics: [t]\nfacts: [&l0 lol");
        for (int i = 0; i < 30; i++) {
            bomb.append(", *l0");
        }
        bomb.append("]\n");
        assertProblem(
                http().post(
                                "/v1/knowledge/packs",
                                "application/yaml",
                                bomb.toString().getBytes()),
                400,
                "YAML aliases (*l0) are not accepted");
        assertProblem(
                http().post(
                                "/v1/knowledge/packs",
                                "application/yaml",
                                "id: dup\nname: One\nname: Two\nfacts: [x]\n".getBytes()),
                400,
                "Duplicate field 'name'");
        assertProblem(
                http().post(
                                "/v1/knowledge/packs",
                                "application/json",
                                "{\"id\": \"dup\", \"name\": \"One\", \"name\": \"Two\", \"facts\": [\"x\"]}"
                                        .getBytes()),
                400,
                "duplicate field 'name'");
        assertProblem(http().get("/v1/knowledge/packs/bomb"), 404, "no knowledge pack 'bomb'");
        assertProblem(http().get("/v1/knowledge/packs/dup"), 404, "no knowledge pack 'dup'");
    }

    @Test
    void lorebooks_worldInfoBecomesAPack_andMalformedOnesAre400() {
        String worldInfo = """
                {"entries": {"0": {"uid": 0, "key": ["Eldoria"], "keysecondary": [], "comment": "Kingdom",
                  "content": "Eldoria is a kingdom of rivers.", "constant": false, "selective": true, "order": 100,
                  "position": 0, "disable": false}}}
                """;

        HttpResponse<String> created = http().post(
                        "/v1/knowledge/lorebooks?id=api-eldoria&name=eldoria.json",
                        "application/json",
                        worldInfo.getBytes());

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(TestHttp.json(created))
                .containsEntry("id", "api-eldoria")
                .containsEntry("entries", 1)
                .containsEntry("source", "lorebook:eldoria.json");
        assertProblem(
                http().post("/v1/knowledge/lorebooks?id=api-bad", "application/json", "{\"entries\": ".getBytes()),
                400,
                "ends before it is complete");
        assertProblem(
                http().post("/v1/knowledge/lorebooks?id=Bad%20Id", "application/json", worldInfo.getBytes()),
                400,
                "knowledge pack id must match");
        assertProblem(
                http().post("/v1/knowledge/lorebooks", "application/json", worldInfo.getBytes()),
                400,
                "query parameter 'id' is required");
        assertThat(list(http().get("/v1/knowledge/packs"), "packs"))
                .noneMatch(p -> p.get("id").equals("api-bad"));
    }

    @Test
    void stats_reportCacheHitRates() {
        http().get("/v1/memory/search?q=hello&user=api-stats");
        http().get("/v1/memory/search?q=hello&user=api-stats");

        Map<String, Object> stats = TestHttp.json(http().get("/v1/memory/stats"));

        assertThat(stats).containsKeys("indexLoaded", "indexedVectors", "embeddingModel", "knowledgeActivationCache");
    }
}
