package dev.nexus.host.experiment;

import dev.nexus.host.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Stores experiments in {@code personality_experiments}. Thread-safe. */
final class ExperimentRepository {

    private static final String COLUMNS = "id, personality_id, control_version, treatment_version, treatment_percent, "
            + "min_feedback, threshold, state, verdict, proposal_id, created_by, created_at, ended_at";

    private final Jdbi jdbi;

    ExperimentRepository(Database database) {
        this.jdbi = database.jdbi();
    }

    void insert(Experiment e) {
        jdbi.useHandle(h -> h.createUpdate(
                        "INSERT INTO personality_experiments (" + COLUMNS + ") VALUES (:id, :personality, "
                                + ":control, :treatment, :percent, :minFeedback, :threshold, :state, NULL, NULL, :by, :created, NULL)")
                .bind("id", e.id())
                .bind("personality", e.personality())
                .bind("control", e.controlVersion())
                .bind("treatment", e.treatmentVersion())
                .bind("percent", e.treatmentPercent())
                .bind("minFeedback", e.minFeedback())
                .bind("threshold", e.threshold())
                .bind("state", e.state())
                .bind("by", e.createdBy())
                .bind("created", at(e.createdAt()))
                .execute());
    }

    Optional<Experiment> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM personality_experiments WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> read(rs))
                .findOne());
    }

    /** The personality's experiments, newest first, at most {@code limit}. */
    List<Experiment> of(String personality, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM personality_experiments "
                        + "WHERE personality_id = :personality ORDER BY created_at DESC, id DESC LIMIT :limit")
                .bind("personality", personality)
                .bind("limit", limit)
                .map((rs, ctx) -> read(rs))
                .list());
    }

    List<Experiment> running() {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT " + COLUMNS + " FROM personality_experiments WHERE state = 'running'")
                        .map((rs, ctx) -> read(rs))
                        .list());
    }

    /** Ends a running experiment; false when it was no longer running (another host or call ended it). */
    boolean end(String id, String state, Optional<String> verdict, Instant at) {
        return jdbi.withHandle(
                        h -> h.createUpdate("UPDATE personality_experiments SET state = :state, verdict = :verdict, "
                                        + "ended_at = :at WHERE id = :id AND state = 'running'")
                                .bind("id", id)
                                .bind("state", state)
                                .bind("verdict", verdict.orElse(null))
                                .bind("at", at(at))
                                .execute())
                == 1;
    }

    void proposal(String id, String proposal) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE personality_experiments SET proposal_id = :proposal WHERE id = :id")
                .bind("id", id)
                .bind("proposal", proposal)
                .execute());
    }

    private static Experiment read(ResultSet rs) throws SQLException {
        OffsetDateTime ended = rs.getObject("ended_at", OffsetDateTime.class);
        return new Experiment(
                rs.getString("id"),
                rs.getString("personality_id"),
                rs.getInt("control_version"),
                rs.getInt("treatment_version"),
                rs.getInt("treatment_percent"),
                rs.getInt("min_feedback"),
                rs.getDouble("threshold"),
                rs.getString("state"),
                Optional.ofNullable(rs.getString("verdict")),
                Optional.ofNullable(rs.getString("proposal_id")),
                rs.getString("created_by"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                Optional.ofNullable(ended).map(OffsetDateTime::toInstant));
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
