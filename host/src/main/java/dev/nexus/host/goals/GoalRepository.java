package dev.nexus.host.goals;

import dev.nexus.host.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Stores goals, milestones and progress history in {@code goals}, {@code goal_milestones}, {@code goal_progress}. Thread-safe. */
final class GoalRepository {

    private final Jdbi jdbi;

    GoalRepository(Database database) {
        this.jdbi = database.jdbi();
    }

    /** An open transaction, handed to the service so it can group writes; the handle stays in here. */
    static final class Tx {
        private final Handle h;

        private Tx(Handle h) {
            this.h = h;
        }
    }

    <T> T inTransaction(Function<Tx, T> work) {
        return jdbi.inTransaction(h -> work.apply(new Tx(h)));
    }

    void insert(Tx tx, Goal goal) {
        tx.h.createUpdate("""
                INSERT INTO goals (id, user_id, title, description, status, deadline, progress_set, created_at, updated_at)
                VALUES (:id, :user, :title, :description, :status, :deadline, :progress, :created, :updated)""")
                .bind("id", goal.id())
                .bind("user", goal.user())
                .bind("title", goal.title())
                .bind("description", goal.description())
                .bind("status", goal.status().label())
                .bindByType("deadline", goal.deadline().map(GoalRepository::at).orElse(null), OffsetDateTime.class)
                .bindByType(
                        "progress",
                        goal.progressSet().isPresent() ? goal.progressSet().getAsDouble() : null,
                        Double.class)
                .bind("created", at(goal.createdAt()))
                .bind("updated", at(goal.updatedAt()))
                .execute();
    }

    /** Writes title, description, status, deadline and the set progress of an existing goal. */
    void update(Tx tx, Goal goal) {
        tx.h.createUpdate("""
                UPDATE goals SET title = :title, description = :description, status = :status, deadline = :deadline,
                       progress_set = :progress, updated_at = :updated WHERE id = :id""")
                .bind("id", goal.id())
                .bind("title", goal.title())
                .bind("description", goal.description())
                .bind("status", goal.status().label())
                .bindByType("deadline", goal.deadline().map(GoalRepository::at).orElse(null), OffsetDateTime.class)
                .bindByType(
                        "progress",
                        goal.progressSet().isPresent() ? goal.progressSet().getAsDouble() : null,
                        Double.class)
                .bind("updated", at(goal.updatedAt()))
                .execute();
    }

    boolean delete(String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM goals WHERE id = :id")
                        .bind("id", id)
                        .execute())
                == 1;
    }

    int deleteUser(String user) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM goals WHERE user_id = :user")
                .bind("user", user)
                .execute());
    }

    Optional<String> ownerOf(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT user_id FROM goals WHERE id = :id")
                .bind("id", id)
                .mapTo(String.class)
                .findOne());
    }

    /** Locks the goal's row for the rest of the transaction (so milestone changes and progress are serialised). */
    Optional<Goal> lock(Tx tx, String id) {
        Handle h = tx.h;
        Optional<Goal> bare = h.createQuery("SELECT * FROM goals WHERE id = :id FOR UPDATE")
                .bind("id", id)
                .map((rs, ctx) -> goal(rs, List.of()))
                .findOne();
        return bare.map(g -> withMilestones(g, milestones(h, List.of(g.id())).getOrDefault(g.id(), List.of())));
    }

    /** Reads goal {@code id} inside a transaction (sees its own writes). */
    Optional<Goal> find(Tx tx, String id) {
        Handle h = tx.h;
        return h.createQuery("SELECT * FROM goals WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> goal(rs, List.of()))
                .findOne()
                .map(g -> withMilestones(g, milestones(h, List.of(g.id())).getOrDefault(g.id(), List.of())));
    }

    Optional<Goal> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM goals WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> goal(rs, List.of()))
                .findOne()
                .map(g -> withMilestones(g, milestones(h, List.of(g.id())).getOrDefault(g.id(), List.of()))));
    }

    /** Returns a user's goals (optionally in one status), newest first, at most {@code limit}. */
    List<Goal> list(String user, Optional<GoalStatus> status, int limit) {
        return jdbi.withHandle(h -> {
            List<Goal> bare = h.createQuery("SELECT * FROM goals WHERE user_id = :user"
                            + (status.isPresent() ? " AND status = :status" : "")
                            + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                    .bind("user", user)
                    .bind("limit", limit)
                    .bindMap(status.isPresent() ? Map.of("status", status.get().label()) : Map.of())
                    .map((rs, ctx) -> goal(rs, List.of()))
                    .list();
            Map<String, List<Milestone>> steps =
                    milestones(h, bare.stream().map(Goal::id).toList());
            return bare.stream()
                    .map(g -> withMilestones(g, steps.getOrDefault(g.id(), List.of())))
                    .toList();
        });
    }

    int count(String user) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM goals WHERE user_id = :user")
                .bind("user", user)
                .mapTo(Integer.class)
                .one());
    }

    void insertMilestone(Tx tx, Milestone m) {
        tx.h.createUpdate("""
                INSERT INTO goal_milestones (id, goal_id, title, position, due, created_at)
                VALUES (:id, :goal, :title, :position, :due, :created)""")
                .bind("id", m.id())
                .bind("goal", m.goal())
                .bind("title", m.title())
                .bind("position", m.position())
                .bindByType("due", m.due().map(GoalRepository::at).orElse(null), OffsetDateTime.class)
                .bind("created", at(m.createdAt()))
                .execute();
    }

    /** Marks a milestone done ({@code done} present) or open again; returns whether it changed. */
    boolean mark(Tx tx, String milestone, Optional<Milestone.Done> done) {
        Handle h = tx.h;
        if (done.isPresent()) {
            Milestone.Done d = done.get();
            return h.createUpdate("""
                    UPDATE goal_milestones SET done_at = :at, done_source = :source, done_ref = :ref, done_method = :method
                    WHERE id = :id AND done_at IS NULL""")
                            .bind("id", milestone)
                            .bind("at", at(d.at()))
                            .bind("source", d.source())
                            .bind("ref", d.reference())
                            .bind("method", d.method())
                            .execute()
                    == 1;
        }
        return h.createUpdate("""
                UPDATE goal_milestones SET done_at = NULL, done_source = NULL, done_ref = NULL, done_method = NULL
                WHERE id = :id AND done_at IS NOT NULL""").bind("id", milestone).execute() == 1;
    }

    void appendProgress(Tx tx, String id, String goal, ProgressPoint point) {
        tx.h.createUpdate(
                        "INSERT INTO goal_progress (id, goal_id, progress, source, note, at) VALUES (:id, :goal, :p, :source, :note, :at)")
                .bind("id", id)
                .bind("goal", goal)
                .bind("p", point.progress())
                .bind("source", point.source())
                .bindByType("note", point.note().orElse(null), String.class)
                .bind("at", at(point.at()))
                .execute();
    }

    List<ProgressPoint> history(String goal) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM goal_progress WHERE goal_id = :goal ORDER BY at, id")
                .bind("goal", goal)
                .map((rs, ctx) -> new ProgressPoint(
                        rs.getDouble("progress"),
                        rs.getString("source"),
                        Optional.ofNullable(rs.getString("note")),
                        instant(rs, "at")))
                .list());
    }

    /** Returns the time of the goal's latest progress entry or milestone change, if any. */
    Optional<Instant> lastActivity(String goal) {
        return jdbi.withHandle(h -> h.createQuery("SELECT MAX(at) FROM goal_progress WHERE goal_id = :goal")
                .bind("goal", goal)
                .map((rs, ctx) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class))
                        .map(OffsetDateTime::toInstant))
                .one());
    }

    private Map<String, List<Milestone>> milestones(Handle h, List<String> goals) {
        Map<String, List<Milestone>> byGoal = new LinkedHashMap<>();
        if (goals.isEmpty()) {
            return byGoal;
        }
        h.createQuery("SELECT * FROM goal_milestones WHERE goal_id IN (<goals>) ORDER BY goal_id, position, id")
                .bindList("goals", goals)
                .map((rs, ctx) -> new Milestone(
                        rs.getString("id"),
                        rs.getString("goal_id"),
                        rs.getString("title"),
                        rs.getInt("position"),
                        optionalInstant(rs, "due"),
                        optionalInstant(rs, "done_at").map(doneAt -> {
                            try {
                                return new Milestone.Done(
                                        doneAt,
                                        rs.getString("done_source"),
                                        rs.getString("done_ref"),
                                        rs.getString("done_method"));
                            } catch (SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        }),
                        instant(rs, "created_at")))
                .forEach(m ->
                        byGoal.computeIfAbsent(m.goal(), g -> new ArrayList<>()).add(m));
        return byGoal;
    }

    private static Goal withMilestones(Goal g, List<Milestone> milestones) {
        return new Goal(
                g.id(),
                g.user(),
                g.title(),
                g.description(),
                g.status(),
                g.deadline(),
                g.progressSet(),
                g.createdAt(),
                g.updatedAt(),
                milestones);
    }

    private static Goal goal(ResultSet rs, List<Milestone> milestones) throws SQLException {
        double set = rs.getDouble("progress_set");
        OptionalDouble progress = rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(set);
        return new Goal(
                rs.getString("id"),
                rs.getString("user_id"),
                rs.getString("title"),
                rs.getString("description"),
                GoalStatus.parse("status", rs.getString("status")),
                optionalInstant(rs, "deadline"),
                progress,
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                milestones);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
