package dev.nexus.host.vector;

/**
 * One search result. Immutable.
 *
 * @param id the entry's id
 * @param similarity the dot product with the query (cosine similarity for unit vectors)
 */
public record Hit(String id, float similarity) {}
