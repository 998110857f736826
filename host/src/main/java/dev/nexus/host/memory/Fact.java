package dev.nexus.host.memory;

import java.time.Instant;
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
 * @param createdAt when it was first learnt
 * @param updatedAt when it was last stated or confirmed
 * @param slot for single-valued facts (name, home, job), the slot a newer statement replaces
 */
public record Fact(
        String id, String user, Optional<String> personality, String text, FactCategory category, FactSource source,
        double confidence, double importance, int retrievalCount, Instant createdAt, Instant updatedAt,
        Optional<String> slot) {
}
