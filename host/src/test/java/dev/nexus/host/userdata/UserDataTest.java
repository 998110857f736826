package dev.nexus.host.userdata;

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
 * A person's data, theirs to take and erase (issue 11, deliverable 5), through the real server on H2
 * and PostgreSQL: the export holds everything stored about them; after the erasure nothing of theirs
 * is found anywhere, another user's data is untouched, and the audit log keeps only that it happened.
 */
class UserDataTest {

    private static final String PERSONA = """
            {"id": "keeper", "name": "Keeper", "description": "A personality that remembers.", "greetings": ["Hello."]}""";

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void export_holdsEverythingStored_andErase_leavesNothingOfTheUser_andOthersUntouched(TestDatabase db) {
        try (TestHost host = start(db)) {
            TestHttp admin = host.http();
            status(admin.post("/v1/personalities", PERSONA), 201);
            String aliceSecret = secret(admin, "alice");
            TestHttp alice = admin.withKey(aliceSecret);
            TestHttp bob = admin.withKey(secret(admin, "bob"));

            Map<String, Object> turn = json(
                    alice.post(
                            "/v1/chat",
                            "{\"personality\":\"keeper\",\"message\":\"My name is Alice and I love sailing\"}"),
                    200);
            String conversation = (String) turn.get("conversation");
            String reply = (String) ((Map<?, ?>) turn.get("message")).get("id");
            json(alice.post("/v1/memory/facts", "{\"fact\":\"secret diagnosis: asthma\"}"), 201);
            json(
                    alice.put(
                            "/v1/memory/profile/alice",
                            "{\"displayName\":\"Alice\",\"attributes\":{\"ssn\":\"123-45-6789\"}}"),
                    200);
            json(alice.post("/v1/feedback", "{\"message\":\"" + reply + "\",\"rating\":5}"), 201);
            Map<String, Object> bobsTurn =
                    json(bob.post("/v1/chat", "{\"personality\":\"keeper\",\"message\":\"I love chess\"}"), 200);
            json(bob.post("/v1/memory/facts", "{\"fact\":\"bob collects stamps\"}"), 201);
            awaitTurnRemembered(admin, "alice");
            awaitTurnRemembered(admin, "bob");

            // The export: everything, and nothing secret.
            Map<String, Object> archive = json(alice.get("/v1/users/alice/export"), 200);
            assertThat(archive).containsEntry("user", "alice").containsEntry("format", "nexus-user-export/1");
            List<Map<String, Object>> conversations = list(archive, "conversations");
            assertThat(conversations).singleElement().satisfies(c -> {
                assertThat(c).containsEntry("id", conversation).containsEntry("personality", "keeper");
                assertThat(c.get("messages").toString())
                        .contains("My name is Alice and I love sailing")
                        .contains(reply);
            });
            Map<String, Object> memory = map(archive, "memory");
            assertThat(ids(list(memory, "facts")))
                    .containsExactlyInAnyOrderElementsOf(ids(list(json(alice.get("/v1/memory/facts"), 200), "facts")));
            assertThat(memory.get("facts").toString()).contains("secret diagnosis: asthma");
            assertThat(list(memory, "episodes"))
                    .extracting(e -> e.get("text"))
                    .contains("My name is Alice and I love sailing");
            assertThat(map(memory, "profile").get("attributes")).isEqualTo(Map.of("ssn", "123-45-6789"));
            assertThat(list(memory, "relationships"))
                    .singleElement()
                    .satisfies(r -> assertThat(r).containsEntry("personality", "keeper"));
            assertThat(list(archive, "feedback"))
                    .singleElement()
                    .satisfies(f -> assertThat(f).containsEntry("message", reply));
            assertThat(list(archive, "keys"))
                    .singleElement()
                    .satisfies(k -> assertThat(k).containsEntry("user", "alice"));
            String text = archive.toString();
            assertThat(text).doesNotContain(aliceSecret).doesNotContain("chess").doesNotContain("stamps");

            // Another user reaches neither; 404, as for anything not theirs.
            status(bob.get("/v1/users/alice/export"), 404);
            status(bob.delete("/v1/users/alice"), 404);

            // The erasure, asked by alice herself.
            Map<String, Object> erased = map(json(alice.delete("/v1/users/alice"), 200), "erased");
            assertThat(erased)
                    .containsEntry("conversations", 1)
                    .containsEntry("messages", 3)
                    .containsEntry("feedback", 1)
                    .containsEntry("episodes", 2)
                    .containsEntry("keysRevoked", 1);
            assertThat((Integer) erased.get("facts")).isGreaterThanOrEqualTo(1);
            status(alice.get("/v1/memory/facts"), 401);

            assertThat(list(json(admin.get("/v1/memory/facts?user=alice"), 200), "facts"))
                    .isEmpty();
            assertThat(list(
                            json(admin.get("/v1/memory/search?user=alice&q=sailing+asthma+diagnosis+Alice"), 200),
                            "results"))
                    .isEmpty();
            Map<String, Object> profile = json(admin.get("/v1/memory/profile/alice"), 200);
            assertThat(profile).containsEntry("displayName", "").containsEntry("attributes", Map.of());
            assertThat(list(profile, "relationships")).isEmpty();
            status(admin.get("/v1/conversations/" + conversation + "/messages"), 404);
            Map<String, Object> after = json(admin.get("/v1/users/alice/export"), 200);
            assertThat(list(after, "conversations")).isEmpty();
            assertThat(list(after, "feedback")).isEmpty();
            assertThat(list(map(after, "memory"), "facts")).isEmpty();
            assertThat(list(map(after, "memory"), "episodes")).isEmpty();
            assertThat(list(after, "keys"))
                    .singleElement()
                    .satisfies(k -> assertThat(k.get("revokedAt")).isNotNull());
            // Erasing again finds nothing left.
            assertThat(map(json(admin.delete("/v1/users/alice"), 200), "erased"))
                    .containsEntry("messages", 0)
                    .containsEntry("facts", 0);

            // bob is untouched.
            assertThat(list(json(bob.get("/v1/memory/facts"), 200), "facts"))
                    .extracting(f -> f.get("fact"))
                    .contains("bob collects stamps");
            status(bob.get("/v1/conversations/" + bobsTurn.get("conversation") + "/messages"), 200);
            assertThat(list(json(bob.get("/v1/memory/search?q=stamps"), 200), "results"))
                    .isNotEmpty();

            // The audit log keeps that the erasure happened, for whom and by whom: no content, no fingerprint.
            List<Map<String, Object>> audited =
                    list(json(admin.get("/v1/audit?target=/v1/users/alice"), 200), "entries");
            assertThat(audited)
                    .hasSize(2)
                    .allSatisfy(entry -> assertThat(entry)
                            .containsEntry("action", "DELETE /v1/users/{id}")
                            .doesNotContainKeys("beforeSha256", "afterSha256"));
            assertThat(audited.get(1).get("actor").toString()).contains("alice's key");
            assertThat(json(admin.get("/v1/audit?limit=500"), 200).toString())
                    .doesNotContain("sailing")
                    .doesNotContain("asthma");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void exportAndErase_refuseAnInvalidUserId_namingTheParameter(TestDatabase db) {
        try (TestHost host = start(db)) {
            HttpResponse<String> bad = host.http().get("/v1/users/" + "x".repeat(201) + "/export");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat((String) TestHttp.json(bad).get("detail"))
                    .contains("'id' must be a user id of 1-200 characters");
            assertThat(host.http().delete("/v1/users/a%07b").statusCode()).isEqualTo(400);
        }
    }

    /** A turn's memories are written after the reply; the relationship is written last. */
    private static void awaitTurnRemembered(TestHttp admin, String user) {
        for (int attempt = 0; attempt < 400; attempt++) {
            if (!list(json(admin.get("/v1/memory/profile/" + user), 200), "relationships")
                    .isEmpty()) {
                return;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("the turn of " + user + " was never remembered");
    }

    static TestHost start(TestDatabase db) {
        TestHost.Builder builder = TestHost.builder();
        if (db.backend().equals("postgresql")) {
            builder.database(db.url());
        }
        return builder.start();
    }

    private static String secret(TestHttp admin, String user) {
        return (String) json(
                        admin.post(
                                "/v1/keys",
                                "{\"name\":\"" + user + "'s key\",\"scopes\":[\"user\"],\"user\":\"" + user + "\"}"),
                        201)
                .get("secret");
    }

    private static void status(HttpResponse<String> response, int expected) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
    }

    private static Map<String, Object> json(HttpResponse<String> response, int expected) {
        status(response, expected);
        return TestHttp.json(response);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> json, String field) {
        return (Map<String, Object>) json.get(field);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> json, String field) {
        return (List<Map<String, Object>>) json.get(field);
    }

    private static List<Object> ids(List<Map<String, Object>> items) {
        return items.stream().map(item -> item.get("id")).toList();
    }
}
