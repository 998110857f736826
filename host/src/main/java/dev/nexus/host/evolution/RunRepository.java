package dev.nexus.host.evolution;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Stores evolution runs. Thread-safe. */
final class RunRepository {

    private final Jdbi jdbi;

    RunRepository(Database database) {
        this.jdbi = database.jdbi();
    }

    void insert(EvolutionRun run) {
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO evolution_runs (id, personality_id, state, seed, generations, population, trust_radius,
                    trigger_kind, requested_by, progress, feedback_seen, created_at)
                VALUES (:id, :personality, :state, :seed, :generations, :population, :radius, :trigger, :by, '[]',
                    :feedback, :createdAt)""")
                .bind("id", run.id())
                .bind("personality", run.personality())
                .bind("state", run.state())
                .bind("seed", run.seed())
                .bind("generations", run.generations())
                .bind("population", run.population())
                .bind("radius", run.trustRadius())
                .bind("trigger", run.trigger())
                .bind("by", run.requestedBy())
                .bind("feedback", run.feedbackCount())
                .bind("createdAt", run.createdAt().atOffset(ZoneOffset.UTC))
                .execute());
    }

    void running(String id) {
        jdbi.useHandle(
                h -> h.createUpdate("UPDATE evolution_runs SET state = 'running' WHERE id = :id AND state = 'queued'")
                        .bind("id", id)
                        .execute());
    }

    void succeeded(
            String id,
            List<GenerationStats> progress,
            EvolutionOutcome outcome,
            Optional<String> proposal,
            Instant at) {
        jdbi.useHandle(h -> h.createUpdate("""
                UPDATE evolution_runs SET state = 'succeeded', progress = :progress, outcome = :outcome,
                    proposal_id = :proposal, finished_at = :at WHERE id = :id""")
                .bind("id", id)
                .bind("progress", Json.write(progress))
                .bind("outcome", Json.write(outcome))
                .bind("proposal", proposal.orElse(null))
                .bind("at", at.atOffset(ZoneOffset.UTC))
                .execute());
    }

    void failed(String id, String error, Instant at) {
        jdbi.useHandle(h -> h.createUpdate(
                        "UPDATE evolution_runs SET state = 'failed', error = :error, finished_at = :at WHERE id = :id")
                .bind("id", id)
                .bind("error", error)
                .bind("at", at.atOffset(ZoneOffset.UTC))
                .execute());
    }

    Optional<EvolutionRun> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM evolution_runs WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> read(rs))
                .findOne());
    }

    /** Returns up to {@code limit} runs, newest first, of one personality or of all. */
    List<EvolutionRun> list(Optional<String> personality, int limit) {
        return jdbi.withHandle(h -> {
            var query = h.createQuery("SELECT * FROM evolution_runs"
                            + (personality.isPresent() ? " WHERE personality_id = :p" : "")
                            + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                    .bind("limit", limit);
            personality.ifPresent(p -> query.bind("p", p));
            return query.map((rs, ctx) -> read(rs)).list();
        });
    }

    /** Returns the newest run of {@code personality}, if any. */
    Optional<EvolutionRun> latest(String personality) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM evolution_runs WHERE personality_id = :p ORDER BY created_at DESC, id DESC LIMIT 1")
                .bind("p", personality)
                .map((rs, ctx) -> read(rs))
                .findOne());
    }

    private static EvolutionRun read(ResultSet rs) throws SQLException {
        String outcome = rs.getString("outcome");
        OffsetDateTime finished = rs.getObject("finished_at", OffsetDateTime.class);
        return new EvolutionRun(
                rs.getString("id"),
                rs.getString("personality_id"),
                rs.getString("state"),
                rs.getLong("seed"),
                rs.getInt("generations"),
                rs.getInt("population"),
                rs.getDouble("trust_radius"),
                rs.getString("trigger_kind"),
                rs.getString("requested_by"),
                rs.getInt("feedback_seen"),
                List.of(Json.read(rs.getString("progress"), GenerationStats[].class)),
                Optional.ofNullable(outcome).map(Json::readMap),
                Optional.ofNullable(rs.getString("proposal_id")),
                Optional.ofNullable(rs.getString("error")),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                Optional.ofNullable(finished).map(OffsetDateTime::toInstant));
    }
}
