package dev.nexus.host.openai;

import dev.nexus.host.db.Database;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Stores history fingerprints of OpenAI-compatible clients (table {@code openai_threads}). Thread-safe. */
final class ThreadRepository {

    /** A known history: the conversation holding it and, for a history ending in a user message, that message. */
    record Thread(String conversation, Optional<String> message) {}

    private final Jdbi jdbi;

    ThreadRepository(Database database) {
        this.jdbi = database.jdbi();
    }

    Optional<Thread> find(String fingerprint) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT conversation_id, message_id FROM openai_threads WHERE fingerprint = :f")
                .bind("f", fingerprint)
                .map((rs, ctx) -> new Thread(rs.getString(1), Optional.ofNullable(rs.getString(2))))
                .findOne());
    }

    /** Records a history; a fingerprint already known keeps its first row (two clients raced with the same history). */
    void remember(String fingerprint, String conversation, Optional<String> message, Instant at) {
        if (find(fingerprint).isPresent()) {
            return;
        }
        try {
            jdbi.useHandle(h -> h.createUpdate("""
                    INSERT INTO openai_threads (fingerprint, conversation_id, message_id, created_at)
                    VALUES (:f, :c, :m, :at)""")
                    .bind("f", fingerprint)
                    .bind("c", conversation)
                    .bind("m", message.orElse(null))
                    .bind("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                    .execute());
        } catch (RuntimeException raced) {
            if (find(fingerprint).isEmpty()) {
                throw raced;
            }
        }
    }
}
