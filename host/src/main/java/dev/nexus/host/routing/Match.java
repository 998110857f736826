package dev.nexus.host.routing;

import java.util.List;

/**
 * How well one personality fits a request. Immutable.
 *
 * @param id the personality id
 * @param name its display name
 * @param score in [0, 1]; higher fits better
 * @param reasons why, in words (the similarity, the words shared, the tags and knowledge matched)
 */
public record Match(String id, String name, double score, List<String> reasons) {

    /** Copies the reasons. */
    public Match {
        reasons = List.copyOf(reasons);
    }
}
