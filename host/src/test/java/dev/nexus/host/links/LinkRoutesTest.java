package dev.nexus.host.links;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.testing.TestDatabase;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The admin API of identity links through the real server, on H2 and PostgreSQL. */
class LinkRoutesTest {

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void links_areSetListedReplacedAndRemoved_eachChangeAudited(TestDatabase db) {
        try (TestHost host = start(db)) {
            TestHttp admin = host.http();
            Map<String, Object> linked = ok(admin.put("/v1/links/telegram:123", "{\"user\":\"alice\"}"));
            assertThat(linked)
                    .containsEntry("identity", "telegram:123")
                    .containsEntry("user", "alice")
                    .containsKey("createdBy");
            ok(admin.put("/v1/links/webhook:ada", "{\"user\":\"alice\"}"));
            ok(admin.put("/v1/links/webhook:bo", "{\"user\":\"bob\"}"));

            assertThat(links(admin.get("/v1/links?user=alice")))
                    .extracting(l -> l.get("identity"))
                    .containsExactly("telegram:123", "webhook:ada");
            assertThat(links(admin.get("/v1/links"))).hasSize(3);

            // Re-linking moves the identity; unlinking makes it its own principal again.
            ok(admin.put("/v1/links/webhook:ada", "{\"user\":\"bob\"}"));
            assertThat(links(admin.get("/v1/links?user=bob")))
                    .extracting(l -> l.get("identity"))
                    .containsExactly("webhook:ada", "webhook:bo");
            assertThat(admin.delete("/v1/links/telegram:123").statusCode()).isEqualTo(204);
            HttpResponse<String> again = admin.delete("/v1/links/telegram:123");
            assertThat(again.statusCode()).isEqualTo(404);
            assertThat((String) TestHttp.json(again).get("detail")).contains("unknown identity link 'telegram:123'");
            assertThat(links(admin.get("/v1/links?user=alice"))).isEmpty();

            List<Map<String, Object>> audit = list(ok(admin.get("/v1/audit?target=/v1/links/webhook:ada")), "entries");
            assertThat(audit)
                    .extracting(e -> e.get("action"))
                    .containsExactly("PUT /v1/links/{identity}", "PUT /v1/links/{identity}");
            assertThat(audit.get(1)).doesNotContainKey("beforeSha256");
            assertThat(audit.get(0).get("beforeSha256")).isEqualTo(audit.get(1).get("afterSha256"));
            assertThat(audit.get(0).get("afterSha256"))
                    .isNotEqualTo(audit.get(0).get("beforeSha256"));
            assertThat(list(ok(admin.get("/v1/audit?action=DELETE+/v1/links/%7Bidentity%7D")), "entries"))
                    .singleElement()
                    .satisfies(e -> assertThat(e)
                            .containsEntry("target", "/v1/links/telegram:123")
                            .doesNotContainKey("afterSha256"));

            // A person's export lists their links; their erasure removes them.
            assertThat(list(ok(admin.get("/v1/users/bob/export")), "links")).hasSize(2);
            assertThat(ok(admin.delete("/v1/users/bob")).get("erased").toString())
                    .contains("links=2");
            assertThat(links(admin.get("/v1/links"))).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void links_refuseBadInput_namingTheFieldAndTheFix_andStoreNothing(TestDatabase db) {
        try (TestHost host = start(db)) {
            TestHttp admin = host.http();
            problem(
                    admin.put("/v1/links/alice", "{\"user\":\"alice\"}"),
                    "path parameter 'identity' must be '<platform>:<platform user id>'");
            problem(admin.put("/v1/links/Tele%20gram:1", "{\"user\":\"alice\"}"), "path parameter 'identity' must be");
            problem(admin.put("/v1/links/telegram:1", "{}"), "field 'user' is required");
            problem(
                    admin.put("/v1/links/telegram:1", "{\"user\":\"\"}"),
                    "'user' must be a user id of 1-200 characters");
            problem(
                    admin.put("/v1/links/telegram:1", "{\"user\":\"a\\u0007b\"}"),
                    "'user' must not contain control characters");
            problem(admin.put("/v1/links/telegram:1", "{\"user\":\"telegram:1\"}"), "names the identity itself");
            problem(admin.put("/v1/links/telegram:1", "{\"user\":\"alice\",\"admin\":true}"), "admin");
            problem(admin.put("/v1/links/telegram:1", "{\"user\":\"alice\",\"user\":\"bob\"}"), "user");
            problem(admin.delete("/v1/links/nocolon"), "path parameter 'identity'");
            assertThat(links(admin.get("/v1/links"))).isEmpty();
            assertThat(list(ok(admin.get("/v1/audit")), "entries")).isEmpty();
        }
    }

    static TestHost start(TestDatabase db) {
        TestHost.Builder builder = TestHost.builder();
        if (db.backend().equals("postgresql")) {
            builder.database(db.url());
        }
        return builder.start();
    }

    private static Map<String, Object> ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttp.json(response);
    }

    private static void problem(HttpResponse<String> response, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat((String) TestHttp.json(response).get("detail"))
                .contains(detail)
                .doesNotContain("java.")
                .doesNotContain("jackson");
    }

    private static List<Map<String, Object>> links(HttpResponse<String> response) {
        return list(ok(response), "links");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> json, String field) {
        return (List<Map<String, Object>>) json.get(field);
    }
}
