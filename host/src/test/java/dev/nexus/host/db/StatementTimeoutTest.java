package dev.nexus.host.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.testing.TestDatabase;
import dev.nexus.host.testing.TestDatabases;
import java.nio.file.Path;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code database.statement-timeout-seconds} cancels a statement that runs away, on both databases: on
 * PostgreSQL through each statement's timeout, on H2 through the connection's own setting (so that H2
 * keeps its parsed statements; a per-statement timeout would run {@code SET} each time and empty them).
 */
class StatementTimeoutTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource(TestDatabases.KINDS)
    void aStatementThatRunsPastTheTimeout_isCancelled_andTheConnectionServesTheNextOne(Database.Kind kind) {
        try (TestDatabase fresh = TestDatabases.of(kind);
                Database limited = Database.open(
                        new DatabaseConfig(kind == Database.Kind.H2 ? "" : fresh.url(), "", "", 2, null, 1), dir)) {
            String endless = kind == Database.Kind.H2
                    ? "SELECT SUM(\"X\") FROM SYSTEM_RANGE(1, 1000000000000)"
                    : "SELECT pg_sleep(600)";

            assertThatThrownBy(() -> limited.jdbi()
                            .withHandle(h ->
                                    h.createQuery(endless).mapTo(Long.class).one()))
                    .isInstanceOf(JdbiException.class)
                    .hasStackTraceContaining(kind == Database.Kind.H2 ? "57014" : "canceling statement");
            Integer answer = limited.jdbi()
                    .withHandle(
                            h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
            assertThat(answer).isEqualTo(1);
        }
    }
}
