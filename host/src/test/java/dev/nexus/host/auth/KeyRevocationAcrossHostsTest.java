package dev.nexus.host.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.AccessDeniedException;
import dev.nexus.host.approval.MutableClock;
import dev.nexus.host.db.Database;
import dev.nexus.host.testing.TestDatabase;
import dev.nexus.host.testing.TestDatabases;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What docs/operations.md promises about revocation across hosts sharing one database. On PostgreSQL
 * the other hosts are told (the cluster's {@code NOTIFY}) and refuse the key as soon as the notice
 * arrives: two real hosts on one database whose key caches run on a clock that stands still, so
 * nothing but the notice can drop the other host's cached lookup. A host that missed the notice
 * refuses the key when its cached lookup expires, 5 seconds of its clock later. Apart from {@link
 * ApiKeysTest} because it starts whole hosts (the mutation run leaves it out).
 */
class KeyRevocationAcrossHostsTest {

    private static final String DATABASES = "dev.nexus.host.testing.TestDatabases#all";

    @ParameterizedTest
    @MethodSource(DATABASES)
    void revoke_onAHostWhoseNoticeWasMissed_takesEffectThereWhenItsCachedLookupExpires(TestDatabase db) {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-06T00:00:00Z"));
        ApiKeys here = new ApiKeys(db.database(), clock);
        ApiKeys otherHost = new ApiKeys(db.database(), clock); // not told of changes: the notice was missed
        ApiKeys.Created created =
                here.create("temp", Set.of(Scope.USER), java.util.Optional.of("temp-user"), Caller.anonymous());
        otherHost.authenticate(created.secret());

        here.revoke(created.key().id());

        clock.advance(Duration.ofMillis(4_900));
        assertThat(otherHost.authenticate(created.secret()).keyId())
                .as("within the 5 seconds the other host answers from its cached lookup")
                .isEqualTo(created.key().id());
        clock.advance(Duration.ofMillis(100));
        assertThatThrownBy(() -> otherHost.authenticate(created.secret()))
                .as("5 seconds after it was cached, the lookup goes to the database")
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("unknown or revoked");
    }

    @Test
    void revoke_onOneHost_isRefusedByAnotherHostOnTheSamePostgres_onceTheNoticeArrives() throws Exception {
        Assumptions.assumeTrue(
                TestDatabases.postgresAvailable() || !"optional".equals(System.getProperty("nexus.test.postgres")),
                "PostgreSQL not configured and nexus.test.postgres=optional");
        // The clock never moves: no cached key lookup can expire (limits are off, as their buckets would
        // never refill either).
        MutableClock clock = new MutableClock(Instant.parse("2026-12-06T00:00:00Z"));
        // Hosts sharing a database share its vault, and so its master key (docs/vault.md).
        String vaultKey = Base64.getEncoder().encodeToString(new byte[32]);
        try (TestHost a = TestHost.builder()
                .database(Database.Kind.POSTGRESQL)
                .env("NEXUS_VAULT_KEY", vaultKey)
                .clock(clock)
                .yaml("limits: {enabled: false}")
                .start()) {
            Map<String, Object> revoked = userKey(a, "revoked");
            Map<String, Object> quiet = userKey(a, "quiet");
            // B starts after the keys exist, so it never hears of their creation.
            try (TestHost b = TestHost.builder()
                    .database(a.jdbcUrl())
                    .env("NEXUS_VAULT_KEY", vaultKey)
                    .clock(clock)
                    .yaml("limits: {enabled: false}")
                    .start()) {
                TestHttp revokedOnB = b.http().withKey(secret(revoked));
                TestHttp quietOnB = b.http().withKey(secret(quiet));
                assertThat(revokedOnB.get("/v1/personalities").statusCode()).isEqualTo(200);
                assertThat(quietOnB.get("/v1/personalities").statusCode()).isEqualTo(200);
                // Revoked behind the hosts' backs (no notice): B still answers from its cached lookup, so a
                // refusal below can only come from the notice.
                revokeInTheDatabase(a.jdbcUrl(), id(quiet), clock.instant());
                assertThat(quietOnB.get("/v1/personalities").statusCode())
                        .as("B answers from its cached lookup while nobody tells it")
                        .isEqualTo(200);

                HttpResponse<String> deleted = a.http().delete("/v1/keys/" + id(revoked));
                assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);

                int status = awaitRefused(revokedOnB);
                assertThat(status)
                        .as("B refuses the key revoked on A once A's notice arrives")
                        .isEqualTo(401);
                assertThat(quietOnB.get("/v1/personalities").statusCode())
                        .as("the notice drops every cached lookup on B")
                        .isEqualTo(401);
            }
        }
    }

    /**
     * Asks B with the revoked key until it refuses: with the clock standing still, only the notice can
     * make it. The minute is a safety net for a notice that never comes, not a measure of speed.
     */
    private static int awaitRefused(TestHttp http) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        int status = http.get("/v1/personalities").statusCode();
        while (status == 200 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            status = http.get("/v1/personalities").statusCode();
        }
        return status;
    }

    private static Map<String, Object> userKey(TestHost host, String name) {
        HttpResponse<String> created = host.http()
                .post("/v1/keys", "{\"name\":\"" + name + "\",\"scopes\":[\"user\"],\"user\":\"" + name + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return TestHttp.json(created);
    }

    private static String secret(Map<String, Object> created) {
        return (String) created.get("secret");
    }

    @SuppressWarnings("unchecked")
    private static String id(Map<String, Object> created) {
        return (String) ((Map<String, Object>) created.get("key")).get("id");
    }

    private static void revokeInTheDatabase(String jdbcUrl, String id, Instant at) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
                PreparedStatement update =
                        connection.prepareStatement("UPDATE api_keys SET revoked_at = ? WHERE id = ?")) {
            update.setObject(1, at.atOffset(ZoneOffset.UTC));
            update.setString(2, id);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }
}
