package dev.nexus.host.memory;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Something known about a user (semantic memory). Immutable.
 *
 * @param id the fact id
 * @param user the user it is about
 * @param personality the personality that may use it, or empty for every personality
 * @param text the fact, in the third person ("The user is vegetarian")
 * @param category what it is about
 * @param source how it was learnt
 * @param confidence how sure we are, 0–1
 * @param importance how much it matters, 0–1 (computed at write time)
 * @param retrievalCount how often it was recalled into a turn
 * @param createdAt when it was first learnt (stored)
 * @param updatedAt when it was last stated or confirmed
 * @param slot for single-valued facts (name, home, job), the slot a newer statement supersedes
 * @param occurredAt when it happened or became true (validFrom); the stored time unless told otherwise
 * @param validUntil when a newer statement superseded it; empty while it is current
 * @param supersededBy the id of the fact that superseded it
 * @param pinned kept whatever consolidation or the per-user cap would drop
 * @param externalId the caller's own id for it (imports are idempotent by it)
 * @param metadata the caller's string attributes, kept as given
 * @param sourceMessage the message it was learnt from (conversation facts)
 * @param about the person in the user's life it is about ("my sister Ana"); empty when it is about the user
 */
public record Fact(
        String id,
        String user,
        Optional<String> personality,
        String text,
        FactCategory category,
        FactSource source,
        double confidence,
        double importance,
        int retrievalCount,
        Instant createdAt,
        Instant updatedAt,
        Optional<String> slot,
        Instant occurredAt,
        Optional<Instant> validUntil,
        Optional<String> supersededBy,
        boolean pinned,
        Optional<String> externalId,
        Map<String, String> metadata,
        Optional<String> sourceMessage,
        Optional<Person> about) {

    /** Copies the metadata. */
    public Fact {
        metadata = Map.copyOf(metadata);
    }

    /** A current, unpinned fact with no caller data that happened when it was first learnt. */
    public Fact(
            String id,
            String user,
            Optional<String> personality,
            String text,
            FactCategory category,
            FactSource source,
            double confidence,
            double importance,
            int retrievalCount,
            Instant createdAt,
            Instant updatedAt,
            Optional<String> slot) {
        this(
                id,
                user,
                personality,
                text,
                category,
                source,
                confidence,
                importance,
                retrievalCount,
                createdAt,
                updatedAt,
                slot,
                createdAt,
                Optional.empty(),
                Optional.empty(),
                false,
                Optional.empty(),
                Map.of(),
                Optional.empty(),
                Optional.empty());
    }

    /** Returns whether no newer statement has superseded it. */
    public boolean current() {
        return validUntil.isEmpty();
    }
}
