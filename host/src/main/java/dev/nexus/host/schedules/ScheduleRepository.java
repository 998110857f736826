package dev.nexus.host.schedules;

import dev.nexus.host.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Stores schedules, their runs, consents and proactive messages. Thread-safe. */
final class ScheduleRepository {

    private final Jdbi jdbi;

    ScheduleRepository(Database database) {
        this.jdbi = database.jdbi();
    }

    void insert(Schedule s) {
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO schedules (id, personality_id, name, cron, time_zone, jitter_seconds, action, platform, target_user, content,
                    state, planned_at, next_run_at, created_at, created_by)
                VALUES (:id, :personality, :name, :cron, :zone, :jitter, :action, :platform, :user, :content, :state, :planned, :next,
                    :created, :by)""")
                .bind("id", s.id())
                .bind("personality", s.personality())
                .bind("name", s.name())
                .bind("cron", s.cron())
                .bind("zone", s.timeZone())
                .bind("jitter", s.jitterSeconds())
                .bind("action", s.action())
                .bind("platform", s.platform())
                .bind("user", s.user().orElse(null))
                .bind("content", s.content())
                .bind("state", s.state())
                .bind("planned", s.plannedAt().map(ScheduleRepository::time).orElse(null))
                .bind("next", s.nextRunAt().map(ScheduleRepository::time).orElse(null))
                .bind("created", time(s.createdAt()))
                .bind("by", s.createdBy())
                .execute());
    }

    Optional<Schedule> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM schedules WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> schedule(rs))
                .findOne());
    }

    List<Schedule> list(Optional<String> personality) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM schedules"
                        + (personality.isPresent() ? " WHERE personality_id = :personality" : "")
                        + " ORDER BY created_at, id")
                .bindMap(personality.isPresent() ? Map.of("personality", personality.get()) : Map.of())
                .map((rs, ctx) -> schedule(rs))
                .list());
    }

    List<Schedule> due(Instant now, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT * FROM schedules WHERE state = 'active' AND next_run_at <= :now ORDER BY next_run_at LIMIT :limit""")
                .bind("now", time(now))
                .bind("limit", limit)
                .map((rs, ctx) -> schedule(rs))
                .list());
    }

    /** Moves a schedule on from the run due at {@code due} (compare-and-set: true for exactly one caller). */
    boolean advance(String id, Instant due, Optional<Instant> planned, Optional<Instant> next) {
        return jdbi.withHandle(h -> h.createUpdate("""
                UPDATE schedules SET planned_at = :planned, next_run_at = :next
                WHERE id = :id AND state = 'active' AND next_run_at = :due""")
                        .bind("id", id)
                        .bind("due", time(due))
                        .bind("planned", planned.map(ScheduleRepository::time).orElse(null))
                        .bind("next", next.map(ScheduleRepository::time).orElse(null))
                        .execute())
                == 1;
    }

    boolean setState(String id, String state, Optional<Instant> planned, Optional<Instant> next) {
        return jdbi.withHandle(h -> h.createUpdate(
                                "UPDATE schedules SET state = :state, planned_at = :planned, next_run_at = :next WHERE id = :id")
                        .bind("id", id)
                        .bind("state", state)
                        .bind("planned", planned.map(ScheduleRepository::time).orElse(null))
                        .bind("next", next.map(ScheduleRepository::time).orElse(null))
                        .execute())
                == 1;
    }

    boolean delete(String id) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("DELETE FROM schedule_runs WHERE schedule_id = :id")
                    .bind("id", id)
                    .execute();
            return h.createUpdate("DELETE FROM schedules WHERE id = :id")
                            .bind("id", id)
                            .execute()
                    == 1;
        });
    }

    void insertRun(Schedule.Run run) {
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO schedule_runs (id, schedule_id, planned_at, due_at, ran_at, outcome, detail, message_id)
                VALUES (:id, :schedule, :planned, :due, :ran, :outcome, :detail, :message)""")
                .bind("id", run.id())
                .bind("schedule", run.schedule())
                .bind("planned", time(run.plannedAt()))
                .bind("due", time(run.dueAt()))
                .bind("ran", time(run.ranAt()))
                .bind("outcome", run.outcome())
                .bind("detail", cap(run.detail()))
                .bind("message", run.messageId().orElse(null))
                .execute());
    }

    List<Schedule.Run> runs(String schedule, int limit) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM schedule_runs WHERE schedule_id = :id ORDER BY ran_at DESC, id DESC LIMIT :limit")
                .bind("id", schedule)
                .bind("limit", limit)
                .map((rs, ctx) -> new Schedule.Run(
                        rs.getString("id"),
                        rs.getString("schedule_id"),
                        instant(rs, "planned_at"),
                        instant(rs, "due_at"),
                        instant(rs, "ran_at"),
                        rs.getString("outcome"),
                        rs.getString("detail"),
                        Optional.ofNullable(rs.getString("message_id"))))
                .list());
    }

    void putConsent(Schedule.Consent consent) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM proactive_consents WHERE user_id = :user AND platform = :platform")
                    .bind("user", consent.user())
                    .bind("platform", consent.platform())
                    .execute();
            h.createUpdate("""
                    INSERT INTO proactive_consents (user_id, platform, personality_id, max_per_day, created_at)
                    VALUES (:user, :platform, :personality, :max, :at)""")
                    .bind("user", consent.user())
                    .bind("platform", consent.platform())
                    .bind("personality", consent.personality())
                    .bind("max", consent.maxPerDay())
                    .bind("at", time(consent.createdAt()))
                    .execute();
        });
    }

    Optional<Schedule.Consent> consent(String user, String platform) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT * FROM proactive_consents WHERE user_id = :user AND platform = :platform")
                        .bind("user", user)
                        .bind("platform", platform)
                        .map((rs, ctx) -> consent(rs))
                        .findOne());
    }

    List<Schedule.Consent> consents(String user) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT * FROM proactive_consents WHERE user_id = :user ORDER BY platform")
                        .bind("user", user)
                        .map((rs, ctx) -> consent(rs))
                        .list());
    }

    boolean deleteConsent(String user, String platform) {
        return jdbi.withHandle(h -> h.createUpdate(
                                "DELETE FROM proactive_consents WHERE user_id = :user AND platform = :platform")
                        .bind("user", user)
                        .bind("platform", platform)
                        .execute())
                == 1;
    }

    void insertProactive(Schedule.Proactive p) {
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO proactive_messages (id, user_id, platform, personality_id, schedule_id, conversation_id, content, queued_at, due_at)
                VALUES (:id, :user, :platform, :personality, :schedule, :conversation, :content, :queued, :due)""")
                .bind("id", p.id())
                .bind("user", p.user())
                .bind("platform", p.platform())
                .bind("personality", p.personality())
                .bind("schedule", p.schedule())
                .bind("conversation", p.conversation())
                .bind("content", p.content())
                .bind("queued", time(p.queuedAt()))
                .bind("due", time(p.dueAt()))
                .execute());
    }

    int proactiveSince(String user, String platform, Instant since) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT COUNT(*) FROM proactive_messages WHERE user_id = :user AND platform = :platform AND queued_at >= :since""")
                .bind("user", user)
                .bind("platform", platform)
                .bind("since", time(since))
                .mapTo(Integer.class)
                .one());
    }

    List<Schedule.Proactive> proactive(String user, int limit) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM proactive_messages WHERE user_id = :user ORDER BY queued_at DESC, id DESC LIMIT :limit")
                .bind("user", user)
                .bind("limit", limit)
                .map((rs, ctx) -> new Schedule.Proactive(
                        rs.getString("id"),
                        rs.getString("user_id"),
                        rs.getString("platform"),
                        rs.getString("personality_id"),
                        rs.getString("schedule_id"),
                        rs.getString("conversation_id"),
                        rs.getString("content"),
                        instant(rs, "queued_at"),
                        instant(rs, "due_at")))
                .list());
    }

    /** Erases a user's consents, proactive log and the schedules that write to them; returns how many rows. */
    int eraseUser(String user) {
        return jdbi.inTransaction(h -> {
            int n = h.createUpdate("DELETE FROM proactive_consents WHERE user_id = :user")
                    .bind("user", user)
                    .execute();
            n += h.createUpdate("DELETE FROM proactive_messages WHERE user_id = :user")
                    .bind("user", user)
                    .execute();
            n += h.createUpdate(
                            "DELETE FROM schedule_runs WHERE schedule_id IN (SELECT id FROM schedules WHERE target_user = :user)")
                    .bind("user", user)
                    .execute();
            n += h.createUpdate("DELETE FROM schedules WHERE target_user = :user")
                    .bind("user", user)
                    .execute();
            return n;
        });
    }

    private static Schedule.Consent consent(ResultSet rs) throws SQLException {
        return new Schedule.Consent(
                rs.getString("user_id"),
                rs.getString("platform"),
                rs.getString("personality_id"),
                rs.getInt("max_per_day"),
                instant(rs, "created_at"));
    }

    private static Schedule schedule(ResultSet rs) throws SQLException {
        return new Schedule(
                rs.getString("id"),
                rs.getString("personality_id"),
                rs.getString("name"),
                rs.getString("cron"),
                rs.getString("time_zone"),
                rs.getInt("jitter_seconds"),
                rs.getString("action"),
                rs.getString("platform"),
                Optional.ofNullable(rs.getString("target_user")),
                rs.getString("content"),
                rs.getString("state"),
                optionalInstant(rs, "planned_at"),
                optionalInstant(rs, "next_run_at"),
                instant(rs, "created_at"),
                rs.getString("created_by"));
    }

    private static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static String cap(String text) {
        return text.length() <= 1000 ? text : text.substring(0, 1000) + "…";
    }
}
