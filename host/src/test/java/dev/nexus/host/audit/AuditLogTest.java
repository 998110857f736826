package dev.nexus.host.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.testing.TestDatabase;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The audit log through the real server: what is recorded, how it is read, and that it only grows. H2 and PostgreSQL. */
class AuditLogTest {

    private static final String PERSONA = """
            {"id": "auditee", "name": "Auditee", "description": "A personality whose changes are audited.",
             "greetings": ["Hello."]}""";

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void adminActions_areRecordedWithActorTargetAndHashes_userActionsAndFailuresAreNot(TestDatabase db) {
        try (TestHost host = start(db)) {
            TestHttp admin = host.http();
            created(admin.post("/v1/personalities", PERSONA));
            ok(admin.put("/v1/personalities/auditee", PERSONA.replace("Hello.", "Hi there.")));
            assertThat(admin.delete("/v1/personalities/auditee").statusCode()).isEqualTo(204);
            TestHttp alice = admin.withKey(secret(created(
                    admin.post("/v1/keys", "{\"name\":\"alice phone\",\"scopes\":[\"user\"],\"user\":\"alice\"}"))));
            created(alice.post("/v1/memory/facts", "{\"fact\":\"alice likes tea\"}"));
            assertThat(admin.put("/v1/personalities/nope", PERSONA).statusCode())
                    .isGreaterThanOrEqualTo(400);

            List<Map<String, Object>> entries = entries(ok(admin.get("/v1/audit")));
            assertThat(entries)
                    .extracting(e -> e.get("action"))
                    .containsExactly(
                            "POST /v1/keys",
                            "DELETE /v1/personalities/{id}",
                            "PUT /v1/personalities/{id}",
                            "POST /v1/personalities");
            Map<String, Object> create = entries.get(3);
            assertThat(create)
                    .containsEntry("target", "/v1/personalities/auditee")
                    .containsEntry("status", 201)
                    .doesNotContainKey("beforeSha256")
                    .containsKey("afterSha256");
            assertThat(TestHttp.json(admin.get("/v1/audit")).toString()).contains("keyId");
            assertThat(String.valueOf(create.get("actor"))).contains("name=bootstrap admin (NEXUS_ADMIN_KEY)");
            Map<String, Object> edit = entries.get(2);
            assertThat(edit.get("beforeSha256")).isEqualTo(create.get("afterSha256"));
            assertThat(edit.get("afterSha256")).isNotEqualTo(edit.get("beforeSha256"));
            assertThat((String) edit.get("afterSha256")).matches("[0-9a-f]{64}");
            Map<String, Object> delete = entries.get(1);
            assertThat(delete.get("beforeSha256")).isEqualTo(edit.get("afterSha256"));
            assertThat(delete).doesNotContainKey("afterSha256");
            assertThat((String) entries.get(0).get("target")).startsWith("/v1/keys/");
            assertThat(entries.toString()).doesNotContain("nxk_").doesNotContain("tea");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void audit_filtersAndPagesNewestFirst_andEarlierEntriesNeverChange(TestDatabase db) {
        try (TestHost host = start(db)) {
            TestHttp admin = host.http();
            for (int i = 0; i < 5; i++) {
                created(admin.post("/v1/keys", "{\"name\":\"k" + i + "\",\"scopes\":[\"approver\"]}"));
            }
            List<Map<String, Object>> all = entries(ok(admin.get("/v1/audit")));
            Map<String, Object> first = ok(admin.get("/v1/audit?limit=2"));
            Map<String, Object> second = ok(admin.get("/v1/audit?limit=2&cursor=" + first.get("next")));
            Map<String, Object> third = ok(admin.get("/v1/audit?limit=2&cursor=" + second.get("next")));
            assertThat(Stream.of(first, second, third)
                            .flatMap(page -> entries(page).stream())
                            .toList())
                    .isEqualTo(all);
            assertThat(third).doesNotContainKey("next");

            String keyId = (String) ((Map<?, ?>) all.get(0).get("actor")).get("keyId");
            assertThat(entries(ok(admin.get("/v1/audit?actor=" + keyId)))).hasSize(5);
            assertThat(entries(ok(admin.get("/v1/audit?action=POST+/v1/keys")))).hasSize(5);
            assertThat(entries(ok(admin.get("/v1/audit?action=DELETE+/v1/keys/%7Bid%7D"))))
                    .isEmpty();
            assertThat(entries(ok(admin.get("/v1/audit?target=" + all.get(2).get("target")))))
                    .containsExactly(all.get(2));
            assertThat(entries(ok(admin.get("/v1/audit?since=2999-01-01T00:00:00Z"))))
                    .isEmpty();
            assertThat(entries(ok(admin.get("/v1/audit?until=2999-01-01T00:00:00Z"))))
                    .hasSize(5);

            // More actions append; what was written stays as it was.
            String revoked = ((String) all.get(4).get("target")).substring("/v1/keys/".length());
            assertThat(admin.delete("/v1/keys/" + revoked).statusCode()).isEqualTo(204);
            List<Map<String, Object>> later = entries(ok(admin.get("/v1/audit")));
            assertThat(later).hasSize(6);
            assertThat(later.subList(1, 6)).isEqualTo(all);
            assertThat(later.get(0))
                    .containsEntry("action", "DELETE /v1/keys/{id}")
                    .containsEntry("target", "/v1/keys/" + revoked);
            assertThat(later.get(0).get("beforeSha256"))
                    .isNotEqualTo(later.get(0).get("afterSha256"));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void audit_refusesBadParameters_namingTheParameterAndTheFix(TestDatabase db) {
        try (TestHost host = start(db)) {
            problem(
                    host.http().get("/v1/audit?since=yesterday"),
                    "query parameter 'since' must be an ISO-8601 instant");
            problem(host.http().get("/v1/audit?until=1"), "query parameter 'until' must be an ISO-8601 instant");
            problem(
                    host.http().get("/v1/audit?cursor=abc"),
                    "query parameter 'cursor' must be the 'next' value of a previous page");
            problem(host.http().get("/v1/audit?cursor=-4"), "query parameter 'cursor'");
            problem(host.http().get("/v1/audit?limit=0"), "query parameter 'limit' must be 1-500");
            problem(host.http().get("/v1/audit?limit=many"), "query parameter 'limit' must be a whole number");
        }
    }

    /** Append-only in the database as well: a statement that would change or remove an entry fails, on both backends. */
    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void database_refusesToUpdateOrDeleteAuditEntries(TestDatabase db) {
        AuditRepository repository = new AuditRepository(db.database());
        repository.append(new AuditEntry(
                0,
                "entry-1",
                java.time.Instant.parse("2026-12-05T00:00:00Z"),
                "key-1",
                "admin",
                "DELETE /v1/keys/{id}",
                "/v1/keys/k1",
                204,
                java.util.Optional.of("a".repeat(64)),
                java.util.Optional.empty()));
        var jdbi = db.database().jdbi();
        for (String sql : List.of(
                "UPDATE audit_log SET target = '/v1/keys/other'",
                "DELETE FROM audit_log",
                "DELETE FROM audit_log WHERE id = 'entry-1'")) {
            assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute(sql)))
                    .as(sql)
                    .hasMessageContaining("audit_log is append-only");
        }
        if (db.backend().equals("postgresql")) {
            assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("TRUNCATE audit_log")))
                    .hasMessageContaining("append-only");
        }
        assertThat(repository.find(AuditQuery.all()))
                .singleElement()
                .satisfies(entry -> assertThat(entry.target()).isEqualTo("/v1/keys/k1"));
    }

    /** Append-only by construction: no statement in the host's code may change or remove audit entries. */
    @Test
    void hostCode_neverUpdatesOrDeletesAuditEntries() throws IOException {
        Pattern writes = Pattern.compile(
                "(?is)(UPDATE\\s+audit_log|DELETE\\s+FROM\\s+audit_log|TRUNCATE\\s+(TABLE\\s+)?audit_log"
                        + "|DROP\\s+TABLE[^;]*audit_log|ALTER\\s+TABLE\\s+audit_log)");
        try (Stream<Path> files =
                Stream.concat(Files.walk(Path.of("src/main/java")), Files.walk(Path.of("src/main/resources")))) {
            List<Path> offenders = files.filter(Files::isRegularFile)
                    .filter(file -> {
                        try {
                            return writes.matcher(Files.readString(file)).find();
                        } catch (IOException e) {
                            return false; // binary resources hold no SQL
                        }
                    })
                    .toList();
            assertThat(offenders)
                    .as("code that changes or removes audit entries")
                    .isEmpty();
        }
        assertThat(Stream.of(AuditRepository.class.getDeclaredMethods())
                        .filter(m -> !m.isSynthetic())
                        .map(m -> m.getName())
                        .distinct()
                        .sorted())
                .containsExactly("append", "find", "read");
    }

    static TestHost start(TestDatabase db) {
        TestHost.Builder builder = TestHost.builder();
        if (db.backend().equals("postgresql")) {
            builder.database(db.url());
        }
        return builder.start();
    }

    private static String secret(Map<String, Object> created) {
        return (String) created.get("secret");
    }

    private static Map<String, Object> ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttp.json(response);
    }

    private static Map<String, Object> created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return TestHttp.json(response);
    }

    private static void problem(HttpResponse<String> response, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat((String) TestHttp.json(response).get("detail")).contains(detail);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> entries(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("entries");
    }
}
