package dev.nexus.host.memory;

import java.util.Map;

/**
 * The body of {@code POST /v1/memory/facts} (and one entry of {@code POST /v1/memory/import}): a
 * fact stated explicitly. Immutable.
 *
 * @param user whom it is about (required)
 * @param personality the only personality that may use it; absent = every personality
 * @param fact the fact (required, at most {@code memory.max-fact-chars} characters)
 * @param category one of {@link FactCategory}'s labels (default {@code other})
 * @param confidence 0–1 (default 1)
 * @param occurredAt when it happened or became true, ISO-8601 ({@code 2023-05-14T10:00:00Z} or
 *     {@code 2023-05-14}); absent = now
 * @param externalId the caller's own id; a second fact with the same id returns the stored one
 * @param metadata the caller's string attributes (at most 20, values at most 500 characters)
 * @param pinned kept whatever consolidation or the per-user cap would drop (default false)
 * @param slot a single-valued slot ({@code home}, {@code job}, …): a different fact in the same slot
 *     supersedes the current one, which is kept as history
 */
public record NewFact(
        String user,
        String personality,
        String fact,
        String category,
        Double confidence,
        String occurredAt,
        String externalId,
        Map<String, String> metadata,
        Boolean pinned,
        String slot) {

    /** Applies defaults. */
    public NewFact {
        metadata = metadata == null ? Map.of() : metadata;
    }

    /** A fact with no time, id, metadata or slot. */
    public NewFact(String user, String personality, String fact, String category, Double confidence) {
        this(user, personality, fact, category, confidence, null, null, Map.of(), null, null);
    }

    /** Returns this fact about {@code owner} (the user the request acts for). */
    public NewFact forUser(String owner) {
        return new NewFact(
                owner, personality, fact, category, confidence, occurredAt, externalId, metadata, pinned, slot);
    }
}
