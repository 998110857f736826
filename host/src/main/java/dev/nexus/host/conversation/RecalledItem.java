package dev.nexus.host.conversation;

import java.util.Map;

/**
 * One recalled memory or activated piece of knowledge. Immutable.
 *
 * @param id the id of the fact, episode, pack fact or lore entry
 * @param kind {@code fact}, {@code episode}, {@code pack-fact} or {@code lore}
 * @param origin where it came from: a fact category, or a knowledge pack id
 * @param text the text to put into the prompt
 * @param score the final ranking score
 * @param components the parts the score was made of (e.g. relevance, recency, importance)
 */
public record RecalledItem(
        String id, String kind, String origin, String text, double score, Map<String, Double> components) {

    /** Copies the components. */
    public RecalledItem {
        components = Map.copyOf(components);
    }
}
