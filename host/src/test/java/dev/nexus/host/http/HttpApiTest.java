package dev.nexus.host.http;

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

@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class HttpApiTest {

    /** The backend this invocation runs on (also handed to {@code start}). */
    @Parameter
    Database.Kind database;

    static TestHost host;

    @BeforeParameterizedClassInvocation
    static void start(Database.Kind database) {
        host = TestHost.builder()
                .database(database)
                .yaml("server: {max-body-bytes: 4096}")
                .start();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        host.close();
    }

    private static void assertProblem(HttpResponse<String> response, int status, String title, String detailPart) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        Map<String, Object> problem = TestHttp.json(response);
        assertThat(problem)
                .containsEntry("status", status)
                .containsEntry("title", title)
                .containsKey("type");
        assertThat((String) problem.get("detail")).contains(detailPart);
    }

    @Test
    void health_withoutKey_reportsDatabaseAndPlugins() {
        HttpResponse<String> response = host.http().withKey(null).get("/health");

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> body = TestHttp.json(response);
        assertThat(body).containsEntry("status", "ok");
        @SuppressWarnings("unchecked")
        Map<String, Object> db = (Map<String, Object>) body.get("database");
        assertThat(db)
                .containsEntry("kind", database.name().toLowerCase(java.util.Locale.ROOT))
                .containsEntry("up", true)
                .containsKey("pool");
        assertThat(body).containsKey("plugins").containsEntry("down", java.util.List.of());
    }

    @Test
    void healthReadyAndLive_withoutKey_answer200WhenAllIsUp() {
        HttpResponse<String> ready = host.http().withKey(null).get("/health/ready");
        HttpResponse<String> live = host.http().withKey(null).get("/health/live");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(ready)).containsEntry("status", "ok").containsEntry("down", java.util.List.of());
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(live)).isEqualTo(Map.of("status", "ok"));
    }

    @Test
    void v1_withoutKey_is401WithChallenge() {
        HttpResponse<String> response = host.http().withKey(null).get("/v1/plugins");

        assertProblem(response, 401, "Unauthorized", "missing Authorization header");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"nexus\"");
    }

    @Test
    void v1_withUnknownKey_is401() {
        assertProblem(host.http().withKey("nxk_wrong").get("/v1/plugins"), 401, "Unauthorized", "unknown or revoked");
    }

    @Test
    void v1_withMalformedAuthorization_is401() {
        var response = host.http()
                .send(host.http()
                        .withKey(null)
                        .request("/v1/plugins")
                        .header("Authorization", "Basic abc")
                        .GET());
        assertProblem(response, 401, "Unauthorized", "must be 'Bearer <api key>'");
    }

    @Test
    void unknownRoute_is404Problem() {
        assertProblem(host.http().get("/v1/nothing-here"), 404, "Not found", "no route GET /v1/nothing-here");
    }

    @Test
    void wrongMethod_is405Problem() {
        assertProblem(host.http().put("/v1/plugins", "{}"), 405, "Method not allowed", "PUT is not supported");
    }

    @Test
    void keys_createListRevoke_revocationIsImmediate() {
        HttpResponse<String> created =
                host.http().post("/v1/keys", "{\"name\":\"alice\",\"scopes\":[\"user\"],\"user\":\"alice\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        Map<String, Object> body = TestHttp.json(created);
        String secret = (String) body.get("secret");
        @SuppressWarnings("unchecked")
        String id = (String) ((Map<String, Object>) body.get("key")).get("id");
        assertThat(secret).startsWith("nxk_");
        assertThat(created.headers().firstValue("Location")).hasValue("/v1/keys/" + id);

        TestHttp alice = host.http().withKey(secret);
        assertThat(alice.get("/v1/plugins").statusCode()).isEqualTo(200);

        HttpResponse<String> listed = host.http().get("/v1/keys");
        assertThat(listed.body()).contains("alice").doesNotContain(secret);

        assertThat(host.http().delete("/v1/keys/" + id).statusCode()).isEqualTo(204);
        assertProblem(alice.get("/v1/plugins"), 401, "Unauthorized", "unknown or revoked");
        assertProblem(host.http().delete("/v1/keys/" + id), 404, "Not found", "unknown active API key");
    }

    @Test
    void keys_withUserScopeOnly_cannotManageKeys() {
        Map<String, Object> body = TestHttp.json(
                host.http().post("/v1/keys", "{\"name\":\"bob\",\"scopes\":[\"user\"],\"user\":\"bob\"}"));
        TestHttp bob = host.http().withKey((String) body.get("secret"));

        assertProblem(bob.get("/v1/keys"), 403, "Forbidden", "lacks the 'admin' scope");
    }

    @Test
    void keys_withMalformedJson_is400AndStoresNothing() {
        int before = keyCount();

        assertProblem(host.http().post("/v1/keys", "{\"name\": \"x\", "), 400, "Invalid input", "malformed JSON");
        assertThat(keyCount()).isEqualTo(before);
    }

    @Test
    void keys_withUnknownField_is400NamingIt() {
        assertProblem(
                host.http().post("/v1/keys", "{\"name\":\"x\",\"scopes\":[\"user\"],\"admin\":true}"),
                400,
                "Invalid input",
                "unknown field 'admin'");
    }

    @Test
    void keys_withWrongType_is400NamingTheField() {
        assertProblem(
                host.http().post("/v1/keys", "{\"name\":\"x\",\"scopes\":\"user\"}"), 400, "Invalid input", "scopes");
    }

    @Test
    void keys_withUnknownScope_is400ListingValidOnes() {
        assertProblem(
                host.http().post("/v1/keys", "{\"name\":\"x\",\"scopes\":[\"root\"]}"),
                400,
                "Invalid input",
                "unknown scope 'root'; valid scopes are admin, approver, user");
    }

    @Test
    void oversizedBody_is413AndStoresNothing() {
        int before = keyCount();
        String big = "{\"name\":\"" + "x".repeat(10_000) + "\",\"scopes\":[\"user\"]}";

        assertProblem(host.http().post("/v1/keys", big), 413, "Payload too large", "exceeds the limit of 4096 bytes");
        assertThat(keyCount()).isEqualTo(before);
    }

    @Test
    void jsonNestedTooDeep_is400() {
        String deep = "{\"name\":\"x\",\"scopes\":" + "[".repeat(200) + "]".repeat(200) + "}";
        assertProblem(host.http().post("/v1/keys", deep), 400, "Invalid input", "");
    }

    @SuppressWarnings("unchecked")
    private static int keyCount() {
        return ((List<Object>) TestHttp.json(host.http().get("/v1/keys")).get("keys")).size();
    }
}
