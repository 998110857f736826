package dev.nexus.host.approval;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Stores proposals and their audit log. Thread-safe. */
final class ProposalRepository {

    private final Jdbi jdbi;

    ProposalRepository(Database database) {
        this.jdbi = database.jdbi();
    }

    /**
     * One open transaction, passed back to this repository's methods; the service composes a
     * decision and its audit entry in one without seeing Jdbi. Confined to the calling thread.
     */
    static final class Tx {
        private final Handle h;

        private Tx(Handle h) {
            this.h = h;
        }
    }

    /** Runs {@code work} in one transaction and returns its result; an exception rolls it back. */
    <T> T inTransaction(java.util.function.Function<Tx, T> work) {
        return jdbi.inTransaction(h -> work.apply(new Tx(h)));
    }

    void insert(Tx tx, Proposal p) {
        Handle h = tx.h;
        h.createUpdate("""
                INSERT INTO proposals (id, kind, subject, base_version, payload, sha256, proposer, created_at, expires_at, state)
                VALUES (:id, :kind, :subject, :base, :payload, :sha, :proposer, :created, :expires, :state)""")
                .bind("id", p.id())
                .bind("kind", p.kind().label())
                .bind("subject", p.subject())
                .bind("base", p.baseVersion().isPresent() ? p.baseVersion().getAsInt() : null)
                .bind("payload", ContentHash.canonicalPayload(p.payload()))
                .bind("sha", p.sha256())
                .bind("proposer", p.proposer())
                .bind("created", time(p.createdAt()))
                .bind("expires", time(p.expiresAt()))
                .bind("state", p.state().label())
                .execute();
    }

    Optional<Proposal> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM proposals WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> read(rs))
                .findOne());
    }

    /** Reads and row-locks the proposal for the rest of the transaction {@code tx}. */
    Optional<Proposal> lock(Tx tx, String id) {
        Handle h = tx.h;
        return h.createQuery("SELECT * FROM proposals WHERE id = :id FOR UPDATE")
                .bind("id", id)
                .map((rs, ctx) -> read(rs))
                .findOne();
    }

    List<Proposal> list(Optional<ProposalState> state, int limit) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT * FROM proposals" + (state.isPresent() ? " WHERE state = :state" : "")
                                + " ORDER BY created_at DESC, seq DESC LIMIT :limit")
                        .bind("state", state.map(ProposalState::label).orElse(null))
                        .bind("limit", limit)
                        .map((rs, ctx) -> read(rs))
                        .list());
    }

    List<String> pendingExpiredBy(Instant now) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT id FROM proposals WHERE state = 'pending' AND expires_at <= :now")
                        .bind("now", time(now))
                        .mapTo(String.class)
                        .list());
    }

    /** Moves a proposal out of {@code from}; returns false when it was no longer there. */
    boolean decide(
            Tx tx,
            String id,
            ProposalState from,
            ProposalState to,
            String by,
            Instant at,
            String reason,
            Map<String, Object> result) {
        return tx.h.createUpdate("""
                UPDATE proposals SET state = :to, decided_by = :by, decided_at = :at, reason = :reason, result = :result
                WHERE id = :id AND state = :from""")
                        .bind("id", id)
                        .bind("from", from.label())
                        .bind("to", to.label())
                        .bind("by", by)
                        .bind("at", time(at))
                        .bind("reason", reason)
                        .bind("result", result.isEmpty() ? null : Json.write(result))
                        .execute()
                == 1;
    }

    void audit(Tx tx, AuditEntry entry) {
        Handle h = tx.h;
        h.createUpdate("""
                INSERT INTO proposal_audit (id, proposal_id, from_state, to_state, actor, reason, at)
                VALUES (:id, :proposal, :from, :to, :actor, :reason, :at)""")
                .bind("id", entry.id())
                .bind("proposal", entry.proposal())
                .bind("from", entry.from().orElse(null))
                .bind("to", entry.to())
                .bind("actor", entry.actor())
                .bind("reason", entry.reason().orElse(null))
                .bind("at", time(entry.at()))
                .execute();
    }

    List<AuditEntry> history(String proposal) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM proposal_audit WHERE proposal_id = :p ORDER BY seq")
                .bind("p", proposal)
                .map((rs, ctx) -> new AuditEntry(
                        rs.getString("id"),
                        rs.getString("proposal_id"),
                        Optional.ofNullable(rs.getString("from_state")),
                        rs.getString("to_state"),
                        rs.getString("actor"),
                        Optional.ofNullable(rs.getString("reason")),
                        instant(rs, "at").orElseThrow()))
                .list());
    }

    private static Proposal read(ResultSet rs) throws SQLException {
        int base = rs.getInt("base_version");
        OptionalInt baseVersion = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(base);
        String by = rs.getString("decided_by");
        Optional<Proposal.Decision> decision = by == null
                ? Optional.empty()
                : Optional.of(new Proposal.Decision(
                        by,
                        instant(rs, "decided_at").orElseThrow(),
                        Optional.ofNullable(rs.getString("reason")).orElse("")));
        String result = rs.getString("result");
        return new Proposal(
                rs.getString("id"),
                ProposalKind.parse(rs.getString("kind")),
                rs.getString("subject"),
                baseVersion,
                Json.readMap(rs.getString("payload")),
                rs.getString("sha256"),
                rs.getString("proposer"),
                instant(rs, "created_at").orElseThrow(),
                instant(rs, "expires_at").orElseThrow(),
                ProposalState.parse(rs.getString("state")),
                decision,
                result == null ? Map.of() : Json.readMap(result));
    }

    static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }
}
