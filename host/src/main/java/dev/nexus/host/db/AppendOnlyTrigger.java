package dev.nexus.host.db;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.api.Trigger;

/**
 * The H2 trigger that keeps a table append-only: every UPDATE or DELETE of a row fails (migration
 * {@code db/h2/V8_3}; PostgreSQL does the same with a PL/pgSQL trigger). Stateless; H2 creates one
 * per trigger.
 */
public final class AppendOnlyTrigger implements Trigger {

    private String table = "this table";

    @Override
    public void init(
            Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type) {
        this.table = tableName.toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        throw new SQLException(table + " is append-only: " + (newRow == null ? "DELETE" : "UPDATE") + " refused");
    }
}
