package dev.nexus.host.memory;

/**
 * What one consolidation run did. Immutable.
 *
 * @param users users looked at
 * @param episodesSummarised episodes folded into summaries and deleted
 * @param summaries summary facts written
 * @param factsDropped facts deleted to respect the per-user cap
 */
public record ConsolidationReport(int users, int episodesSummarised, int summaries, int factsDropped) {}
