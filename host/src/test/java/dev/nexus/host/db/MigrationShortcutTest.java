package dev.nexus.host.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.DependencyException;
import dev.nexus.host.testing.TestDatabase;
import dev.nexus.host.testing.TestDatabases;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A restart on an unchanged schema leaves Flyway out only when the schema history records every
 * migration on the class path, applied and unchanged (the checksums Flyway itself recorded), and
 * nothing else; everything else still goes through Flyway: a new (also out-of-order) migration is
 * applied, an edited applied one refuses to start. On H2 and PostgreSQL.
 */
class MigrationShortcutTest {

    @TempDir
    Path dir;

    private static List<String> locations(Database database) {
        return List.of("db/migration", database.kind() == Database.Kind.POSTGRESQL ? "db/postgresql" : "db/h2");
    }

    private static Optional<String> upToDate(Database database) {
        return AppliedMigrations.upToDate(
                database.jdbi(), locations(database), MigrationShortcutTest.class.getClassLoader());
    }

    @ParameterizedTest
    @MethodSource(TestDatabases.KINDS)
    void aDatabaseFlywayMigrated_isUpToDate_withTheChecksumsFlywayRecorded(Database.Kind kind) {
        try (TestDatabase fresh = TestDatabases.of(kind)) {
            Database database = fresh.database();
            List<AppliedMigrations.Script> scripts = AppliedMigrations.scripts(
                            locations(database), getClass().getClassLoader())
                    .orElseThrow();
            List<Integer> recorded = database.jdbi()
                    .withHandle(h -> h.createQuery("SELECT checksum FROM flyway_schema_history WHERE script = :s")
                            .bind("s", "V2_1__personalities.sql")
                            .mapTo(Integer.class)
                            .list());

            assertThat(scripts).hasSizeGreaterThan(20);
            assertThat(recorded)
                    .containsExactly(scripts.stream()
                            .filter(s -> s.name().equals("V2_1__personalities.sql"))
                            .findFirst()
                            .orElseThrow()
                            .checksum());
            String highest = database
                    .jdbi()
                    .withHandle(h -> h.createQuery("SELECT version FROM flyway_schema_history WHERE type = 'SQL'")
                            .mapTo(String.class)
                            .list())
                    .stream()
                    .max(AppliedMigrations::compareVersions)
                    .orElseThrow();
            assertThat(upToDate(database)).contains(highest);
        }
    }

    @ParameterizedTest
    @MethodSource(TestDatabases.KINDS)
    void anAppliedMigrationEditedSince_goesThroughFlyway_whichRefusesToStart(Database.Kind kind) {
        try (TestDatabase fresh = TestDatabases.of(kind)) {
            // What an edited file looks like from the database's side: its recorded checksum differs.
            fresh.database()
                    .jdbi()
                    .useHandle(
                            h -> h.execute(
                                    "UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE script = 'V3_1__conversations.sql'"));

            assertThat(upToDate(fresh.database())).isEmpty();
            assertThatThrownBy(() -> reopen(fresh, kind))
                    .isInstanceOf(DependencyException.class)
                    .hasMessageContaining("3.1")
                    .hasMessageContaining("checksum");
        }
    }

    @ParameterizedTest
    @MethodSource(TestDatabases.KINDS)
    void aMigrationMissingFromTheHistory_goesThroughFlyway_whichAppliesItOutOfOrder(Database.Kind kind) {
        try (TestDatabase fresh = TestDatabases.of(kind)) {
            // A migration that landed below the applied ones (V1_1 here), not yet applied: its table and
            // history row gone, as on a database migrated before the migration existed.
            fresh.database().jdbi().useHandle(h -> {
                h.execute("DROP TABLE api_keys CASCADE");
                h.execute("DELETE FROM flyway_schema_history WHERE script = 'V1_1__api_keys.sql'");
            });
            assertThat(upToDate(fresh.database())).isEmpty();

            try (Database reopened = reopen(fresh, kind)) {
                int applied = reopened.jdbi()
                        .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM flyway_schema_history"
                                        + " WHERE script = 'V1_1__api_keys.sql' AND success")
                                .mapTo(Integer.class)
                                .one());
                assertThat(applied).isEqualTo(1);
                assertThat(upToDate(reopened)).isPresent();
            }
        }
    }

    @ParameterizedTest
    @MethodSource(TestDatabases.KINDS)
    void aFailedOrUnknownHistoryRow_goesThroughFlyway(Database.Kind kind) {
        try (TestDatabase fresh = TestDatabases.of(kind)) {
            fresh.database()
                    .jdbi()
                    .useHandle(h -> h.execute(
                            "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,"
                                    + " installed_by, execution_time, success) VALUES (9999, '999.1', 'from a newer host', 'SQL',"
                                    + " 'V999_1__from_a_newer_host.sql', 1, 'nexus', 0, TRUE)"));

            assertThat(upToDate(fresh.database())).isEmpty();
        }
    }

    @Test
    void theChecksum_isFlywaysCrcOverTheLinesWithoutTheirEndings_andWithoutAByteOrderMark() throws Exception {
        byte[] unix = "CREATE TABLE t (id INT);\nSELECT 1;\n".getBytes(StandardCharsets.UTF_8);
        byte[] windows = "\uFEFFCREATE TABLE t (id INT);\r\nSELECT 1;\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] other = "CREATE TABLE t (id BIGINT);\nSELECT 1;\n".getBytes(StandardCharsets.UTF_8);

        int checksum = AppliedMigrations.checksum(new ByteArrayInputStream(unix));

        assertThat(AppliedMigrations.checksum(new ByteArrayInputStream(windows)))
                .isEqualTo(checksum);
        assertThat(AppliedMigrations.checksum(new ByteArrayInputStream(other))).isNotEqualTo(checksum);
    }

    private Database reopen(TestDatabase fresh, Database.Kind kind) {
        return Database.open(new DatabaseConfig(fresh.url(), "", "", 2, null, 5), dir);
    }
}
