package dev.nexus.host.evolution;

/**
 * The fitness of one generation of a run. Immutable.
 *
 * @param generation the generation number, 1 for the first
 * @param best the best fitness in the population
 * @param mean the mean fitness of the population
 */
public record GenerationStats(int generation, double best, double mean) {}
