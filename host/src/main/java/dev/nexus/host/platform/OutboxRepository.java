package dev.nexus.host.platform;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
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
import org.jdbi.v3.core.Jdbi;

/**
 * Stores the delivery state of replies to platform messages (Jdbi). Claims are compare-and-set
 * updates, so several workers or hosts sharing a database never send the same reply at once.
 * Thread-safe.
 */
final class OutboxRepository {

    /** The states of an outbox row. */
    static final String ANSWERING = "answering";

    static final String QUEUED = "queued";
    static final String SENDING = "sending";
    static final String DELIVERED = "delivered";
    static final String FAILED = "failed";

    /** One row. Immutable. */
    record Entry(
            String inboundId,
            String platform,
            String inboundExternalId,
            String conversation,
            String personality,
            Map<String, String> replyTo,
            Optional<String> replyId,
            Optional<String> content,
            String state,
            int attempts,
            Instant nextAttemptAt,
            Optional<String> lastError,
            Optional<String> deliveredExternalId) {}

    private final Jdbi jdbi;

    OutboxRepository(Database database) {
        this.jdbi = database.jdbi();
    }

    /** Adds a row in state {@code answering} unless one exists; returns whether it added one. */
    boolean open(
            String inboundId,
            String platform,
            String externalId,
            String conversation,
            String personality,
            Map<String, String> replyTo,
            Instant now) {
        if (find(inboundId).isPresent()) {
            return false;
        }
        try {
            jdbi.useHandle(h -> h.createUpdate("""
                    INSERT INTO outbox (inbound_id, platform, inbound_external_id, conversation_id, personality_id, reply_to,
                        state, next_attempt_at, created_at)
                    VALUES (:id, :platform, :externalId, :conversation, :personality, :replyTo, 'answering', :now, :now)""")
                    .bind("id", inboundId)
                    .bind("platform", platform)
                    .bind("externalId", externalId)
                    .bind("conversation", conversation)
                    .bind("personality", personality)
                    .bind("replyTo", Json.write(replyTo))
                    .bind("now", time(now))
                    .execute());
            return true;
        } catch (RuntimeException e) {
            if (find(inboundId).isPresent()) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Queues a message the personality writes first (a scheduled post, a proactive message): no inbound
     * message, so {@code id} is both the row's key and the message id the connector sees; due at {@code due}.
     */
    void queue(
            String id,
            String platform,
            String conversation,
            String personality,
            Map<String, String> address,
            String content,
            Instant due,
            String held,
            Instant now) {
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO outbox (inbound_id, platform, inbound_external_id, conversation_id, personality_id, reply_to,
                    reply_id, content, state, next_attempt_at, created_at, held)
                VALUES (:id, :platform, '', :conversation, :personality, :replyTo, :id, :content, 'queued', :due, :now, :held)""")
                .bind("id", id)
                .bind("platform", platform)
                .bind("conversation", conversation)
                .bind("personality", personality)
                .bind("replyTo", Json.write(address))
                .bind("content", content)
                .bind("due", time(due))
                .bind("now", time(now))
                .bind("held", held.isEmpty() ? null : cap(held))
                .execute());
    }

    /** Returns the address ({@code reply_to}) of the latest message of {@code conversation} on {@code platform}, if any. */
    Optional<Map<String, String>> lastAddress(String platform, String conversation) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT reply_to FROM outbox WHERE platform = :platform AND conversation_id = :conversation AND inbound_external_id <> ''
                ORDER BY created_at DESC LIMIT 1""")
                        .bind("platform", platform)
                        .bind("conversation", conversation)
                        .mapTo(String.class)
                        .findOne())
                .map(json -> {
                    Map<String, String> address = new LinkedHashMap<>();
                    Json.readMap(json).forEach((key, value) -> address.put(key, String.valueOf(value)));
                    return address;
                });
    }

    /** Deletes the deliveries of the conversations {@code conversations} (a person's erasure); returns how many. */
    int deleteConversations(java.util.Collection<String> conversations) {
        if (conversations.isEmpty()) {
            return 0;
        }
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM outbox WHERE conversation_id IN (<ids>)")
                .bindList("ids", List.copyOf(conversations))
                .execute());
    }

    /** Counts the rows not yet delivered, by state ({@code answering}, {@code queued}, {@code sending}, {@code failed}). */
    java.util.Map<String, Long> depth() {
        java.util.Map<String, Long> depth = new java.util.TreeMap<>();
        jdbi.useHandle(
                h -> h.createQuery("SELECT state, COUNT(*) AS n FROM outbox WHERE state <> 'delivered' GROUP BY state")
                        .map((rs, ctx) -> java.util.Map.entry(rs.getString("state"), rs.getLong("n")))
                        .forEach(e -> depth.put(e.getKey(), e.getValue())));
        return depth;
    }

    Optional<Entry> find(String inboundId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM outbox WHERE inbound_id = :id")
                .bind("id", inboundId)
                .map((rs, ctx) -> read(rs))
                .findOne());
    }

    /** Records the reply and queues it for delivery, if the row is still waiting for one. */
    boolean answered(String inboundId, String replyId, String content, Instant now) {
        return answered(inboundId, replyId, content, now, "");
    }

    /**
     * Records the reply and queues it for delivery at {@code due} (its natural time; {@code held} says
     * why it waits, empty when it does not), if the row is still waiting for one.
     */
    boolean answered(String inboundId, String replyId, String content, Instant due, String held) {
        return jdbi.withHandle(h -> h.createUpdate("""
                UPDATE outbox SET reply_id = :replyId, content = :content, state = 'queued', attempts = 0,
                    next_attempt_at = :due, last_error = NULL, held = :held
                WHERE inbound_id = :id AND state = 'answering'""")
                        .bind("id", inboundId)
                        .bind("replyId", replyId)
                        .bind("content", content)
                        .bind("due", time(due))
                        .bind("held", held.isEmpty() ? null : cap(held))
                        .execute())
                == 1;
    }

    /**
     * Returns when {@code personality}'s messages on {@code platform} since {@code since} went or will
     * go out (delivered, or queued for a time), for its rate limit.
     */
    List<Instant> sendTimes(String platform, String personality, Instant since) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT COALESCE(delivered_at, next_attempt_at) AS at FROM outbox
                WHERE platform = :platform AND personality_id = :personality AND state IN ('queued', 'sending', 'delivered')
                  AND COALESCE(delivered_at, next_attempt_at) >= :since""")
                .bind("platform", platform)
                .bind("personality", personality)
                .bind("since", time(since))
                .map((rs, ctx) -> rs.getObject("at", OffsetDateTime.class).toInstant())
                .list());
    }

    /** Counts a failed attempt at answering; returns the attempts so far. */
    int answerFailed(String inboundId, String error) {
        return jdbi.withHandle(h -> {
            h.createUpdate(
                            "UPDATE outbox SET attempts = attempts + 1, last_error = :error WHERE inbound_id = :id AND state = 'answering'")
                    .bind("id", inboundId)
                    .bind("error", cap(error))
                    .execute();
            return h.createQuery("SELECT attempts FROM outbox WHERE inbound_id = :id")
                    .bind("id", inboundId)
                    .mapTo(Integer.class)
                    .one();
        });
    }

    /** Returns the rows still waiting for a reply, oldest first. */
    List<Entry> answering(int limit) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT * FROM outbox WHERE state = 'answering' ORDER BY created_at LIMIT :limit")
                        .bind("limit", limit)
                        .map((rs, ctx) -> read(rs))
                        .list());
    }

    /**
     * Claims up to {@code limit} due rows of {@code platform} for sending until {@code leaseUntil}:
     * queued rows whose time has come, and sending rows whose previous claim has expired.
     */
    List<Entry> claimDue(String platform, Instant now, Instant leaseUntil, int limit) {
        List<String> candidates = jdbi.withHandle(h -> h.createQuery("""
                SELECT inbound_id FROM outbox WHERE platform = :platform
                  AND ((state = 'queued' AND next_attempt_at <= :now) OR (state = 'sending' AND claimed_until < :now))
                ORDER BY next_attempt_at LIMIT :limit""")
                .bind("platform", platform)
                .bind("now", time(now))
                .bind("limit", limit)
                .mapTo(String.class)
                .list());
        List<Entry> claimed = new ArrayList<>();
        for (String id : candidates) {
            int updated = jdbi.withHandle(h -> h.createUpdate("""
                    UPDATE outbox SET state = 'sending', claimed_until = :lease
                    WHERE inbound_id = :id
                      AND ((state = 'queued' AND next_attempt_at <= :now) OR (state = 'sending' AND claimed_until < :now))""")
                    .bind("id", id)
                    .bind("now", time(now))
                    .bind("lease", time(leaseUntil))
                    .execute());
            if (updated == 1) {
                find(id).ifPresent(claimed::add);
            }
        }
        return claimed;
    }

    void delivered(String inboundId, String externalId, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("""
                UPDATE outbox SET state = 'delivered', attempts = attempts + 1, delivered_external_id = :externalId,
                    delivered_at = :now, claimed_until = NULL, last_error = NULL
                WHERE inbound_id = :id AND state = 'sending'""")
                .bind("id", inboundId)
                .bind("externalId", externalId)
                .bind("now", time(now))
                .execute());
    }

    void retryAt(String inboundId, Instant at, String error) {
        jdbi.useHandle(h -> h.createUpdate("""
                UPDATE outbox SET state = 'queued', attempts = attempts + 1, next_attempt_at = :at, claimed_until = NULL,
                    last_error = :error
                WHERE inbound_id = :id AND state = 'sending'""")
                .bind("id", inboundId)
                .bind("at", time(at))
                .bind("error", cap(error))
                .execute());
    }

    /**
     * Returns the host's reply id of a reply queued for {@code platform} whose reply id or delivered
     * external id is {@code reference}, if any.
     */
    Optional<String> replyId(String platform, String reference) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT reply_id FROM outbox WHERE platform = :platform AND reply_id IS NOT NULL
                    AND (reply_id = :reference OR delivered_external_id = :reference)
                ORDER BY CASE WHEN reply_id = :reference THEN 0 ELSE 1 END LIMIT 1""")
                .bind("platform", platform)
                .bind("reference", reference)
                .mapTo(String.class)
                .findOne());
    }

    void failed(String inboundId, String error) {
        jdbi.useHandle(h -> h.createUpdate("""
                UPDATE outbox SET state = 'failed', attempts = attempts + 1, claimed_until = NULL, last_error = :error
                WHERE inbound_id = :id AND state IN ('sending', 'answering')""")
                .bind("id", inboundId)
                .bind("error", cap(error))
                .execute());
    }

    private static Entry read(ResultSet rs) throws SQLException {
        Map<String, String> replyTo = new LinkedHashMap<>();
        Json.readMap(rs.getString("reply_to")).forEach((key, value) -> replyTo.put(key, String.valueOf(value)));
        return new Entry(
                rs.getString("inbound_id"),
                rs.getString("platform"),
                rs.getString("inbound_external_id"),
                rs.getString("conversation_id"),
                rs.getString("personality_id"),
                replyTo,
                Optional.ofNullable(rs.getString("reply_id")),
                Optional.ofNullable(rs.getString("content")),
                rs.getString("state"),
                rs.getInt("attempts"),
                rs.getObject("next_attempt_at", OffsetDateTime.class).toInstant(),
                Optional.ofNullable(rs.getString("last_error")),
                Optional.ofNullable(rs.getString("delivered_external_id")));
    }

    private static String cap(String error) {
        return error == null ? "" : error.length() <= 1000 ? error : error.substring(0, 1000) + "…";
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
