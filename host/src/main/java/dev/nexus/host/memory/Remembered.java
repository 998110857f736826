package dev.nexus.host.memory;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One search result with its score and the components the score was made of. Immutable.
 *
 * @param id the fact or episode id
 * @param kind {@code fact} or {@code episode}
 * @param text the fact, or the message text
 * @param category the fact's category, or {@code conversation} for episodes
 * @param personality the personality scope ("" = all, for facts)
 * @param score relevance^a × recency^b × importance^c
 * @param components relevance, similarity (when vectors were used), keyword, recency, importance, ageDays
 * @param at when it happened (a fact's occurredAt, an episode's time)
 * @param sourceMessage for a fact, the message it was learnt from, when known
 */
public record Remembered(
        String id,
        String kind,
        String text,
        String category,
        String personality,
        double score,
        Map<String, Double> components,
        Instant at,
        Optional<String> sourceMessage) {

    /** Copies the components. */
    public Remembered {
        components = Map.copyOf(components);
    }
}
