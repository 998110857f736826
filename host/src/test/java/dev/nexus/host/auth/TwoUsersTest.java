package dev.nexus.host.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.testing.TestDatabase;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11 as a new user would try it: two user-bound keys; bob cannot read, list, search, change,
 * delete or rate anything of alice's, nor chat as her; the admin sees both. On H2 and PostgreSQL.
 */
class TwoUsersTest {

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void bob_getsNotFoundForEachOfAlicesResources_andForbiddenForActingAsHer(TestDatabase db) {
        try (TestHost host = TrustHosts.start(db)) {
            assertThat(host.http()
                            .post("/v1/personalities", AuthorizationMatrixTest.PERSONA)
                            .statusCode())
                    .isEqualTo(201);
            TestHttp alice = host.http().withKey(TrustHosts.userKey(host, "alice"));
            TestHttp bob = host.http().withKey(TrustHosts.userKey(host, "bob"));

            // alice chats without naming herself: the key says who she is.
            Map<String, Object> turn = ok(alice.post(
                    "/v1/chat", "{\"personality\":\"matrix\",\"message\":\"My name is Alice and I love sailing\"}"));
            String conversation = (String) turn.get("conversation");
            @SuppressWarnings("unchecked")
            String reply = (String) ((Map<String, Object>) turn.get("message")).get("id");
            Map<String, Object> fact =
                    created(alice.post("/v1/memory/facts", "{\"fact\":\"secret diagnosis: asthma\"}"));
            assertThat(fact).containsEntry("user", "alice");
            ok(alice.put(
                    "/v1/memory/profile/alice",
                    "{\"displayName\":\"Alice\",\"attributes\":{\"ssn\":\"123-45-6789\"}}"));

            // bob: 404 for each of alice's resources, as if they did not exist.
            notFound(bob.get("/v1/conversations/" + conversation + "/messages"));
            notFound(bob.get("/v1/memory/profile/alice"));
            notFound(bob.put("/v1/memory/profile/alice", "{\"displayName\":\"Mallory\",\"attributes\":{}}"));
            notFound(bob.delete("/v1/memory/facts/" + fact.get("id")));
            notFound(bob.post("/v1/feedback", "{\"message\":\"" + reply + "\",\"rating\":1}"));
            notFound(bob.post(
                    "/v1/chat",
                    "{\"personality\":\"matrix\",\"conversation\":\"" + conversation + "\",\"message\":\"hi\"}"));
            // ... and 403 whenever he names her.
            forbidden(bob.get("/v1/memory/facts?user=alice"));
            forbidden(bob.get("/v1/memory/search?user=alice&q=diagnosis"));
            forbidden(bob.post("/v1/memory/facts", "{\"user\":\"alice\",\"fact\":\"alice owes bob money\"}"));
            forbidden(bob.post(
                    "/v1/chat",
                    "{\"personality\":\"matrix\",\"user\":\"alice\",\"message\":\"what do you know about me?\"}"));
            // His own listings hold none of hers, and his turns never recall her memories.
            assertThat(list(bob.get("/v1/memory/facts"), "facts")).isEmpty();
            assertThat(list(bob.get("/v1/memory/search?q=diagnosis+sailing"), "results"))
                    .isEmpty();
            Map<String, Object> bobs = ok(bob.post(
                    "/v1/chat",
                    "{\"personality\":\"matrix\",\"message\":\"what do you remember about sailing or a diagnosis?\"}"));
            assertThat(bobs.toString()).doesNotContain("asthma").doesNotContain("Alice");

            // Nothing of alice's changed.
            assertThat(list(alice.get("/v1/memory/facts"), "facts"))
                    .extracting(f -> f.get("fact"))
                    .contains("secret diagnosis: asthma");
            assertThat(ok(alice.get("/v1/memory/profile/alice")).get("displayName"))
                    .isEqualTo("Alice");
            created(alice.post("/v1/feedback", "{\"message\":\"" + reply + "\",\"rating\":5}"));

            // The admin sees both.
            assertThat(ok(host.http().get("/v1/conversations/" + conversation + "/messages")))
                    .containsEntry("user", "alice");
            assertThat(list(host.http().get("/v1/memory/facts?user=alice"), "facts"))
                    .isNotEmpty();
            assertThat(ok(host.http().get("/v1/memory/profile/bob"))).containsEntry("user", "bob");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void keys_bindUserKeysToOneUser_andRefuseUnboundOrHostileOnes(TestDatabase db) {
        try (TestHost host = TrustHosts.start(db)) {
            HttpResponse<String> unbound = host.http().post("/v1/keys", "{\"name\":\"x\",\"scopes\":[\"user\"]}");
            assertThat(unbound.statusCode()).isEqualTo(400);
            assertThat(unbound.body()).contains("field 'user' is required");
            HttpResponse<String> control =
                    host.http().post("/v1/keys", "{\"name\":\"a\\u0007b\",\"scopes\":[\"user\"],\"user\":\"a\"}");
            assertThat(control.statusCode()).isEqualTo(400);
            assertThat(control.body()).contains("field 'name' must not contain control characters");
            HttpResponse<String> badUser =
                    host.http().post("/v1/keys", "{\"name\":\"a\",\"scopes\":[\"user\"],\"user\":\"a\\nb\"}");
            assertThat(badUser.statusCode()).isEqualTo(400);
            assertThat(badUser.body()).contains("'user' must not contain control characters");

            String key = TrustHosts.userKey(host, "carol");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> keys = (List<Map<String, Object>>)
                    TestHttp.json(host.http().get("/v1/keys")).get("keys");
            assertThat(keys).anySatisfy(k -> assertThat(k).containsEntry("user", "carol"));
            HttpResponse<String> approverOnly = host.http()
                    .withKey(TrustHosts.key(host, "{\"name\":\"reviewer\",\"scopes\":[\"approver\"]}"))
                    .get("/v1/memory/facts");
            assertThat(approverOnly.statusCode()).isEqualTo(403);
            assertThat(approverOnly.body()).contains("approver does not include user");
            assertThat(host.http().withKey(key).get("/v1/memory/profile/carol").statusCode())
                    .isEqualTo(200);
        }
    }

    private static Map<String, Object> ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttp.json(response);
    }

    private static Map<String, Object> created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return TestHttp.json(response);
    }

    private static void notFound(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    private static void forbidden(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat((String) TestHttp.json(response).get("detail")).contains("acts for user 'bob' only");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(HttpResponse<String> response, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (List<Map<String, Object>>) TestHttp.json(response).get(field);
    }
}
