package dev.nexus.host.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * A finished task row written straight into a host's database: the owned resource of the
 * {@code /v1/tasks/{id}} routes for tests whose host has no integration plugin (the authorization matrix,
 * the malformed-input fuzzing). A real task needs a real integration; these rows only need an owner.
 */
public final class TaskRows {

    private TaskRows() {}

    /** Inserts a completed task owned by {@code user} and returns its id. */
    public static String completed(TestHost host, String user) {
        String id = "task-" + UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection c = DriverManager.getConnection(host.jdbcUrl());
                PreparedStatement insert = c.prepareStatement("""
                        INSERT INTO tasks (id, integration, action, tool, params, user_id, personality, origin, call_id, risk, status,
                                           attempts, max_attempts, next_run_at, result, created_by, created_at, updated_at, finished_at)
                        VALUES (?, 'fixture', 'noop', 'fixture_noop', '{}', ?, 'api', 'api', ?, 'low', 'completed', 1, 3, ?, 'ok',
                                'fixture', ?, ?, ?)""")) {
            insert.setString(1, id);
            insert.setString(2, user);
            insert.setString(3, id);
            for (int i = 4; i <= 7; i++) {
                insert.setObject(i, now);
            }
            insert.executeUpdate();
            return id;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot insert a fixture task into " + host.jdbcUrl(), e);
        }
    }
}
