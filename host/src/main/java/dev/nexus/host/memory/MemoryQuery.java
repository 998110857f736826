package dev.nexus.host.memory;

import dev.nexus.host.InvalidInputException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A memory search. Immutable.
 *
 * @param user whose memories
 * @param personality only facts for this personality (or for all) and its episodes; empty = any
 * @param text what to look for
 * @param limit the most results (1–100)
 * @param categories only facts of these categories (empty = any); episodes are excluded when set
 * @param since only memories stated or written at or after this time
 * @param until only memories stated or written before this time
 * @param episodes whether conversation messages are searched as well as facts
 */
public record MemoryQuery(
        String user,
        Optional<String> personality,
        String text,
        int limit,
        Set<FactCategory> categories,
        Optional<Instant> since,
        Optional<Instant> until,
        boolean episodes) {

    /** Validates. */
    public MemoryQuery {
        MemoryService.checkUser(user);
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("the search text 'q' is required; say what to look for");
        }
        if (text.length() > 2000) {
            throw new InvalidInputException(
                    "the search text is " + text.length() + " characters, at most 2000 are allowed");
        }
        if (limit < 1 || limit > 100) {
            throw new InvalidInputException("limit must be between 1 and 100, got " + limit);
        }
        categories = Set.copyOf(categories);
    }

    /** Returns a search of facts and episodes with no filters beyond user and personality. */
    public static MemoryQuery of(String user, Optional<String> personality, String text, int limit) {
        return new MemoryQuery(user, personality, text, limit, Set.of(), Optional.empty(), Optional.empty(), true);
    }

    boolean accepts(MemoryIndex.Meta meta) {
        if (!meta.fact() && (!episodes || !categories.isEmpty())) {
            return false;
        }
        if (personality.isPresent()
                && !(meta.personality().equals(personality.get())
                        || (meta.fact() && meta.personality().isEmpty()))) {
            return false;
        }
        if (!categories.isEmpty()
                && meta.category().map(c -> !categories.contains(c)).orElse(true)) {
            return false;
        }
        return since.map(s -> !meta.at().isBefore(s)).orElse(true)
                && until.map(u -> meta.at().isBefore(u)).orElse(true);
    }
}
