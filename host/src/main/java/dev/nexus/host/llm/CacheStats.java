package dev.nexus.host.llm;

/**
 * How well a cache is doing, for {@code /v1/memory/stats}. Immutable.
 *
 * @param hits lookups answered from the cache
 * @param misses lookups that had to compute
 * @param hitRate hits / (hits + misses), 0 before any lookup
 * @param size entries held now (approximate)
 */
public record CacheStats(long hits, long misses, double hitRate, long size) {}
