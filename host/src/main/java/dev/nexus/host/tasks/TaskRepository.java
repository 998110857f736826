package dev.nexus.host.tasks;

import dev.nexus.host.Ids;
import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Stores tasks and their audit trail in {@code tasks} and {@code task_audit}. Every status change is a
 * compare-and-set on the status (and, for a running task, on the lease owner) with its audit row in the
 * same transaction, so two hosts can never both move a task. Thread-safe.
 */
final class TaskRepository {

    private final Jdbi jdbi;
    private final Clock clock;

    TaskRepository(Database database, Clock clock) {
        this.jdbi = database.jdbi();
        this.clock = clock;
    }

    void insert(Task t, String detail) {
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                    INSERT INTO tasks (id, integration, action, tool, params, user_id, personality, origin, call_id, risk, status,
                                       proposal_id, attempts, max_attempts, next_run_at, created_by, created_at, updated_at)
                    VALUES (:id, :integration, :action, :tool, :params, :user, :personality, :origin, :call, :risk, :status,
                            :proposal, 0, :max, :next, :by, :at, :at)""")
                    .bind("id", t.id())
                    .bind("integration", t.integration())
                    .bind("action", t.action())
                    .bind("tool", t.tool())
                    .bind("params", Json.write(t.params()))
                    .bind("user", t.user())
                    .bind("personality", t.personality())
                    .bind("origin", t.origin())
                    .bind("call", t.callId())
                    .bind("risk", t.risk())
                    .bind("status", t.status().label())
                    .bindByType("proposal", t.proposal().orElse(null), String.class)
                    .bind("max", t.maxAttempts())
                    .bind("next", at(t.nextRunAt()))
                    .bind("by", t.createdBy())
                    .bind("at", at(t.createdAt()))
                    .execute();
            audit(h, t.id(), null, t.status(), t.createdBy(), detail, t.createdAt());
        });
    }

    void setProposal(String id, String proposal) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE tasks SET proposal_id = :p WHERE id = :id")
                .bind("p", proposal)
                .bind("id", id)
                .execute());
    }

    Optional<Task> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM tasks WHERE id = :id")
                .bind("id", id)
                .map((rs, c) -> read(rs))
                .findOne());
    }

    Optional<Task> byProposal(String proposal) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM tasks WHERE proposal_id = :p")
                .bind("p", proposal)
                .map((rs, c) -> read(rs))
                .findFirst());
    }

    Optional<String> ownerOf(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT user_id FROM tasks WHERE id = :id")
                .bind("id", id)
                .mapTo(String.class)
                .findOne());
    }

    /** Returns tasks, newest first, filtered by whichever of user, status and integration are given. */
    List<Task> list(Optional<String> user, Optional<TaskStatus> status, Optional<String> integration, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM tasks WHERE 1 = 1");
        Map<String, Object> binds = new LinkedHashMap<>();
        user.ifPresent(u -> {
            sql.append(" AND user_id = :user");
            binds.put("user", u);
        });
        status.ifPresent(s -> {
            sql.append(" AND status = :status");
            binds.put("status", s.label());
        });
        integration.ifPresent(i -> {
            sql.append(" AND integration = :integration");
            binds.put("integration", i);
        });
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
        return jdbi.withHandle(h -> h.createQuery(sql.toString())
                .bindMap(binds)
                .bind("limit", limit)
                .map((rs, c) -> read(rs))
                .list());
    }

    List<Task.Transition> history(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM task_audit WHERE task_id = :id ORDER BY at, id")
                .bind("id", id)
                .map((rs, c) -> new Task.Transition(
                        Optional.ofNullable(rs.getString("from_status")),
                        rs.getString("to_status"),
                        rs.getString("actor"),
                        Optional.ofNullable(rs.getString("detail")),
                        instant(rs, "at")))
                .list());
    }

    /**
     * Moves task {@code id} from {@code from} to {@code to} (a compare-and-set) with its audit row;
     * {@code set} adds column assignments (e.g. {@code result = :result}) bound from {@code binds}.
     * Joins a transaction already open on this thread (the approval's, when releasing a task).
     *
     * @param owner when present, the move only happens while this host holds the task's lease
     * @return whether the task moved
     */
    boolean move(
            String id,
            TaskStatus from,
            TaskStatus to,
            Optional<String> owner,
            String set,
            Map<String, Object> binds,
            String actor,
            String detail) {
        Instant now = clock.instant();
        return jdbi.inTransaction(h -> {
            int moved = h.createUpdate("UPDATE tasks SET status = :to, updated_at = :now"
                            + (set.isEmpty() ? "" : ", " + set) + " WHERE id = :id AND status = :from"
                            + (owner.isPresent() ? " AND lease_owner = :owner" : ""))
                    .bindMap(binds)
                    .bind("to", to.label())
                    .bind("now", at(now))
                    .bind("id", id)
                    .bind("from", from.label())
                    .bindMap(owner.isPresent() ? Map.of("owner", owner.get()) : Map.of())
                    .execute();
            if (moved == 1) {
                audit(h, id, from, to, actor, detail, now);
            }
            return moved == 1;
        });
    }

    /**
     * Claims due pending tasks for {@code owner}: locks candidates (skipping rows another host has
     * locked), keeps those {@code admit} lets run (per-integration limits), and moves each to running
     * with a lease until {@code leaseUntil}, one more attempt, and an audit row, in one transaction.
     */
    List<Task> claim(String owner, Instant leaseUntil, int limit, Predicate<Task> admit) {
        Instant now = clock.instant();
        return jdbi.inTransaction(h -> {
            List<Task> due = h.createQuery("""
                    SELECT * FROM tasks WHERE status = 'pending' AND next_run_at <= :now
                    ORDER BY next_run_at, id LIMIT :limit FOR UPDATE SKIP LOCKED""")
                    .bind("now", at(now))
                    .bind("limit", limit)
                    .map((rs, c) -> read(rs))
                    .list();
            List<Task> claimed = new ArrayList<>();
            for (Task task : due) {
                if (!admit.test(task)) {
                    continue;
                }
                int moved = h.createUpdate("""
                        UPDATE tasks SET status = 'running', lease_owner = :owner, lease_until = :until, attempts = attempts + 1,
                                         updated_at = :now
                        WHERE id = :id AND status = 'pending'""")
                        .bind("owner", owner)
                        .bind("until", at(leaseUntil))
                        .bind("now", at(now))
                        .bind("id", task.id())
                        .execute();
                if (moved == 1) {
                    audit(
                            h,
                            task.id(),
                            TaskStatus.PENDING,
                            TaskStatus.RUNNING,
                            owner,
                            "attempt " + (task.attempts() + 1) + " of " + task.maxAttempts(),
                            now);
                    claimed.add(read(h, task.id()));
                }
            }
            return claimed;
        });
    }

    /** Returns running tasks whose lease ran out before {@code now} (their host stopped mid-run). */
    List<Task> expiredLeases(Instant now, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM tasks WHERE status = 'running' AND lease_until < :now "
                        + "ORDER BY lease_until LIMIT :limit")
                .bind("now", at(now))
                .bind("limit", limit)
                .map((rs, c) -> read(rs))
                .list());
    }

    /** Returns tasks waiting for approval, oldest first. */
    List<Task> awaiting(int limit) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT * FROM tasks WHERE status = 'awaiting-approval' ORDER BY created_at, id "
                                + "LIMIT :limit")
                        .bind("limit", limit)
                        .map((rs, c) -> read(rs))
                        .list());
    }

    int deleteUser(String user) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM tasks WHERE user_id = :user")
                .bind("user", user)
                .execute());
    }

    private Task read(Handle h, String id) {
        return h.createQuery("SELECT * FROM tasks WHERE id = :id")
                .bind("id", id)
                .map((rs, c) -> read(rs))
                .one();
    }

    private void audit(
            Handle h, String task, TaskStatus from, TaskStatus to, String actor, String detail, Instant when) {
        h.createUpdate("""
                INSERT INTO task_audit (id, task_id, from_status, to_status, actor, detail, at)
                VALUES (:id, :task, :from, :to, :actor, :detail, :at)""")
                .bind("id", Ids.newId(clock))
                .bind("task", task)
                .bindByType("from", from == null ? null : from.label(), String.class)
                .bind("to", to.label())
                .bind("actor", actor)
                .bindByType(
                        "detail",
                        detail == null ? null : detail.length() > 2000 ? detail.substring(0, 1999) + "…" : detail,
                        String.class)
                .bind("at", at(when))
                .execute();
    }

    private static Task read(ResultSet rs) throws SQLException {
        return new Task(
                rs.getString("id"),
                rs.getString("integration"),
                rs.getString("action"),
                rs.getString("tool"),
                Json.readMap(rs.getString("params")),
                rs.getString("user_id"),
                rs.getString("personality"),
                rs.getString("origin"),
                rs.getString("call_id"),
                rs.getString("risk"),
                TaskStatus.parse(rs.getString("status")),
                Optional.ofNullable(rs.getString("proposal_id")),
                rs.getInt("attempts"),
                rs.getInt("max_attempts"),
                instant(rs, "next_run_at"),
                Optional.ofNullable(rs.getString("result")),
                Optional.ofNullable(rs.getString("error")),
                rs.getString("created_by"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** Returns how many tasks are in each status that is not final (statuses without tasks are absent). */
    java.util.Map<TaskStatus, Long> depth() {
        java.util.Map<TaskStatus, Long> depth = new java.util.EnumMap<>(TaskStatus.class);
        jdbi.useHandle(h -> h.createQuery("""
                SELECT status, COUNT(*) AS n FROM tasks WHERE status IN ('pending', 'awaiting-approval', 'running') GROUP BY status""")
                .map((rs, ctx) -> java.util.Map.entry(TaskStatus.parse(rs.getString("status")), rs.getLong("n")))
                .forEach(e -> depth.put(e.getKey(), e.getValue())));
        return depth;
    }
}
