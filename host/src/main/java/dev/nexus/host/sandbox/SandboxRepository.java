package dev.nexus.host.sandbox;

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
import org.jdbi.v3.core.JdbiException;

/** Keeps admitted sandboxed plugins in table {@code sandbox_plugins} ({@code V6_1__sandbox.sql}). Thread-safe. */
final class SandboxRepository implements SandboxStore {

    private static final int MAX_REASON = 2000;
    private static final int MAX_REFUSAL_CHARS = 200_000;

    private final Jdbi jdbi;

    SandboxRepository(Database database) {
        this.jdbi = database.jdbi();
    }

    @Override
    public Optional<SandboxPlugin> find(String sha256) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM sandbox_plugins WHERE sha256 = :sha")
                .bind("sha", sha256)
                .map((rs, ctx) -> read(rs))
                .findOne());
    }

    @Override
    public List<SandboxPlugin> all() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM sandbox_plugins ORDER BY admitted_at, sha256")
                .map((rs, ctx) -> read(rs))
                .list());
    }

    @Override
    public boolean insert(SandboxPlugin plugin) {
        try {
            jdbi.useHandle(h -> h.createUpdate("""
                    INSERT INTO sandbox_plugins (sha256, file_name, fitness_class, version, fitness_id, state,
                        consecutive_failures, reason, report, admitted_at, changed_at)
                    VALUES (:sha, :fileName, :fitnessClass, :version, :fitnessId, :state, :failures, :reason, :report,
                        :admittedAt, :changedAt)""")
                    .bind("sha", plugin.sha256())
                    .bind("fileName", plugin.fileName())
                    .bind("fitnessClass", plugin.fitnessClass())
                    .bind("version", plugin.version().orElse(null))
                    .bind("fitnessId", plugin.fitnessId().orElse(null))
                    .bind("state", plugin.state().label())
                    .bind("failures", plugin.consecutiveFailures())
                    .bind("reason", reason(plugin))
                    .bind("report", Json.write(plugin.report()))
                    .bind("admittedAt", time(plugin.admittedAt()))
                    .bind("changedAt", time(plugin.changedAt()))
                    .execute());
            return true;
        } catch (JdbiException e) {
            // Another host sharing the database admitted the same jar first: the primary key says so.
            if (find(plugin.sha256()).isPresent()) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void update(SandboxPlugin plugin) {
        int rows = jdbi.withHandle(h -> h.createUpdate("""
                UPDATE sandbox_plugins SET fitness_id = :fitnessId, state = :state, consecutive_failures = :failures,
                    reason = :reason, changed_at = :changedAt, clean_calls = :clean, accepted_isolation = :accepted
                WHERE sha256 = :sha""")
                .bind("clean", plugin.cleanCalls())
                .bind("accepted", plugin.acceptedIsolation().orElse(null))
                .bind("sha", plugin.sha256())
                .bind("fitnessId", plugin.fitnessId().orElse(null))
                .bind("state", plugin.state().label())
                .bind("failures", plugin.consecutiveFailures())
                .bind("reason", reason(plugin))
                .bind("changedAt", time(plugin.changedAt()))
                .execute());
        if (rows != 1) {
            throw new IllegalStateException("no stored sandbox plugin " + plugin.sha256());
        }
    }

    @Override
    public Optional<AdmissionReport> refusal(String sha256) {
        return jdbi.withHandle(h -> h.createQuery("SELECT report FROM sandbox_refusals WHERE sha256 = :sha")
                        .bind("sha", sha256)
                        .mapTo(String.class)
                        .findOne())
                .map(json -> Json.read(json, AdmissionReport.class));
    }

    @Override
    public void refuse(AdmissionReport report, Instant at) {
        String json = Json.write(report);
        if (json.length() > MAX_REFUSAL_CHARS) {
            throw new IllegalArgumentException(
                    "refusal report of " + json.length() + " characters is over " + MAX_REFUSAL_CHARS);
        }
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM sandbox_refusals WHERE sha256 = :sha")
                    .bind("sha", report.sha256())
                    .execute();
            h.createUpdate("""
                    INSERT INTO sandbox_refusals (sha256, file_name, policy_version, report, judged_at)
                    VALUES (:sha, :fileName, :policy, :report, :at)""")
                    .bind("sha", report.sha256())
                    .bind("fileName", dev.nexus.host.plugins.PluginText.cut(report.fileName(), 200))
                    .bind("policy", report.policyVersion())
                    .bind("report", json)
                    .bind("at", time(at))
                    .execute();
        });
    }

    private static String reason(SandboxPlugin plugin) {
        return plugin.reason()
                .map(r -> r.length() <= MAX_REASON ? r : r.substring(0, MAX_REASON - 1) + "…")
                .orElse(null);
    }

    private static SandboxPlugin read(ResultSet rs) throws SQLException {
        return new SandboxPlugin(
                rs.getString("sha256"),
                rs.getString("file_name"),
                rs.getString("fitness_class"),
                Optional.ofNullable(rs.getString("version")),
                Optional.ofNullable(rs.getString("fitness_id")),
                SandboxState.ofLabel(rs.getString("state")),
                rs.getInt("consecutive_failures"),
                Optional.ofNullable(rs.getString("reason")),
                instant(rs, "admitted_at"),
                instant(rs, "changed_at"),
                Json.read(rs.getString("report"), AdmissionReport.class),
                rs.getInt("clean_calls"),
                Optional.ofNullable(rs.getString("accepted_isolation")));
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }
}
