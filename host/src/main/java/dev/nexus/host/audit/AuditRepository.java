package dev.nexus.host.audit;

import dev.nexus.host.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Stores audit entries. Append-only by construction: there is an insert and there are queries, and
 * nothing else touches {@code audit_log} (AuditLogTest checks the SQL of this package). Thread-safe.
 */
final class AuditRepository {

    private final Jdbi jdbi;

    AuditRepository(Database database) {
        this.jdbi = database.jdbi();
    }

    /** Appends {@code entry} and returns its position in the log. */
    long append(AuditEntry entry) {
        return jdbi.withHandle(h -> {
            h.createUpdate("""
                    INSERT INTO audit_log (id, at, actor_key_id, actor_name, action, target, status, before_sha256, after_sha256)
                    VALUES (:id, :at, :actorKeyId, :actorName, :action, :target, :status, :before, :after)""")
                    .bind("id", entry.id())
                    .bind("at", entry.at().atOffset(ZoneOffset.UTC))
                    .bind("actorKeyId", entry.actorKeyId())
                    .bind("actorName", entry.actorName())
                    .bind("action", entry.action())
                    .bind("target", entry.target())
                    .bind("status", entry.status())
                    .bind("before", entry.beforeSha256().orElse(null))
                    .bind("after", entry.afterSha256().orElse(null))
                    .execute();
            return h.createQuery("SELECT seq FROM audit_log WHERE id = :id")
                    .bind("id", entry.id())
                    .mapTo(Long.class)
                    .one();
        });
    }

    /** Returns the page {@code query} asks for, newest first. */
    List<AuditEntry> find(AuditQuery query) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE 1 = 1");
        query.actor().ifPresent(a -> sql.append(" AND (actor_key_id = :actor OR actor_name = :actor)"));
        query.action().ifPresent(a -> sql.append(" AND action = :action"));
        query.target().ifPresent(t -> sql.append(" AND target = :target"));
        query.since().ifPresent(s -> sql.append(" AND at >= :since"));
        query.until().ifPresent(u -> sql.append(" AND at < :until"));
        query.before().ifPresent(b -> sql.append(" AND seq < :before"));
        sql.append(" ORDER BY seq DESC LIMIT :limit");
        return jdbi.withHandle(h -> {
            Query q = h.createQuery(sql.toString()).bind("limit", query.limit());
            query.actor().ifPresent(a -> q.bind("actor", a));
            query.action().ifPresent(a -> q.bind("action", a));
            query.target().ifPresent(t -> q.bind("target", t));
            query.since().ifPresent(s -> q.bind("since", s.atOffset(ZoneOffset.UTC)));
            query.until().ifPresent(u -> q.bind("until", u.atOffset(ZoneOffset.UTC)));
            query.before().ifPresent(b -> q.bind("before", b));
            return new ArrayList<>(q.map((rs, ctx) -> read(rs)).list());
        });
    }

    private static AuditEntry read(ResultSet rs) throws SQLException {
        return new AuditEntry(
                rs.getLong("seq"),
                rs.getString("id"),
                rs.getObject("at", OffsetDateTime.class).toInstant(),
                rs.getString("actor_key_id"),
                rs.getString("actor_name"),
                rs.getString("action"),
                rs.getString("target"),
                rs.getInt("status"),
                Optional.ofNullable(rs.getString("before_sha256")),
                Optional.ofNullable(rs.getString("after_sha256")));
    }
}
