package dev.nexus.host.cluster;

import dev.nexus.host.db.Database;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The cluster's tables (PostgreSQL only): notices, job leases and runs, members. Thread-safe. */
final class ClusterRepository {

    static final String CHANNEL = "nexus_cluster";

    private final Jdbi jdbi;

    ClusterRepository(Database database) {
        this.jdbi = database.jdbi();
    }

    void notice(String payload) {
        jdbi.useHandle(h -> h.createQuery("SELECT pg_notify('" + CHANNEL + "', :payload)")
                .bind("payload", payload)
                .mapTo(String.class)
                .findOne());
    }

    /** Creates the job's row if it has none, due at {@code firstRun}. */
    void ensureJob(String name, Instant firstRun) {
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO cluster_jobs (name, next_run_at, run_no) VALUES (:name, :at, 0) ON CONFLICT (name) DO NOTHING""")
                .bind("name", name)
                .bind("at", time(firstRun))
                .execute());
    }

    /**
     * Claims the job if it is due and nobody holds a live lease on it, skipping a row another host is
     * claiming right now. Returns the run number claimed: the next run, or the same run when the
     * previous holder's lease expired before it finished (it died).
     */
    Optional<Long> claim(String name, String holder, Instant now, Instant leaseUntil) {
        return jdbi.inTransaction(h -> {
            Optional<Object[]> due = h.createQuery("""
                    SELECT run_no, holder FROM cluster_jobs
                    WHERE name = :name AND next_run_at <= :now AND (holder IS NULL OR lease_until < :now)
                    FOR UPDATE SKIP LOCKED""")
                    .bind("name", name)
                    .bind("now", time(now))
                    .map((rs, ctx) -> new Object[] {rs.getLong("run_no"), rs.getString("holder")})
                    .findOne();
            if (due.isEmpty()) {
                return Optional.<Long>empty();
            }
            long runNo = (long) due.get()[0] + (due.get()[1] == null ? 1 : 0);
            h.createUpdate(
                            "UPDATE cluster_jobs SET holder = :holder, lease_until = :until, run_no = :run WHERE name = :name")
                    .bind("holder", holder)
                    .bind("until", time(leaseUntil))
                    .bind("run", runNo)
                    .bind("name", name)
                    .execute();
            h.createUpdate("""
                    INSERT INTO cluster_job_runs (job, run_no, holder, started_at) VALUES (:name, :run, :holder, :now)
                    ON CONFLICT (job, run_no, holder) DO NOTHING""")
                    .bind("name", name)
                    .bind("run", runNo)
                    .bind("holder", holder)
                    .bind("now", time(now))
                    .execute();
            return Optional.of(runNo);
        });
    }

    /** Extends the lease; returns false when this host no longer holds it. */
    boolean renew(String name, String holder, Instant leaseUntil) {
        return jdbi.withHandle(h -> h.createUpdate(
                                "UPDATE cluster_jobs SET lease_until = :until WHERE name = :name AND holder = :holder")
                        .bind("until", time(leaseUntil))
                        .bind("name", name)
                        .bind("holder", holder)
                        .execute())
                == 1;
    }

    /**
     * Records the run finished and due again at {@code next}; returns false when this host had lost
     * the lease meanwhile (another host may have run it too).
     */
    boolean finish(String name, long runNo, String holder, Instant now, Instant next) {
        return jdbi.inTransaction(h -> {
            int released = h.createUpdate("""
                    UPDATE cluster_jobs SET holder = NULL, lease_until = NULL, next_run_at = :next
                    WHERE name = :name AND holder = :holder AND run_no = :run""")
                    .bind("next", time(next))
                    .bind("name", name)
                    .bind("holder", holder)
                    .bind("run", runNo)
                    .execute();
            if (released == 1) {
                h.createUpdate(
                                "UPDATE cluster_job_runs SET finished_at = :now WHERE job = :name AND run_no = :run AND holder = :holder")
                        .bind("now", time(now))
                        .bind("name", name)
                        .bind("run", runNo)
                        .bind("holder", holder)
                        .execute();
            }
            return released == 1;
        });
    }

    /** Gives up every lease {@code holder} holds, so another host takes the jobs at once. */
    void releaseAll(String holder) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE cluster_jobs SET lease_until = :expired WHERE holder = :holder")
                .bind("expired", time(Instant.EPOCH))
                .bind("holder", holder)
                .execute());
    }

    void heartbeat(String hostId, String address, Instant startedAt, Instant now) {
        jdbi.useHandle(h -> {
            int updated = h.createUpdate(
                            "UPDATE cluster_members SET address = :address, seen_at = :now WHERE host_id = :id")
                    .bind("address", address)
                    .bind("now", time(now))
                    .bind("id", hostId)
                    .execute();
            if (updated == 0) {
                h.createUpdate("""
                        INSERT INTO cluster_members (host_id, address, started_at, seen_at) VALUES (:id, :address, :started, :now)
                        ON CONFLICT (host_id) DO UPDATE SET address = :address, seen_at = :now""")
                        .bind("id", hostId)
                        .bind("address", address)
                        .bind("started", time(startedAt))
                        .bind("now", time(now))
                        .execute();
            }
        });
    }

    void leave(String hostId) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM cluster_members WHERE host_id = :id")
                .bind("id", hostId)
                .execute());
    }

    List<Cluster.Member> members(Instant seenSince) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT host_id, address, seen_at FROM cluster_members WHERE seen_at >= :since ORDER BY host_id")
                .bind("since", time(seenSince))
                .map((rs, ctx) -> new Cluster.Member(
                        rs.getString("host_id"),
                        rs.getString("address"),
                        rs.getObject("seen_at", OffsetDateTime.class).toInstant()))
                .list());
    }

    private static OffsetDateTime time(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
