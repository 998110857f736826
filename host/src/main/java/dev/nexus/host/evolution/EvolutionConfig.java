package dev.nexus.host.evolution;

/**
 * The {@code evolution} configuration section. Immutable.
 *
 * @param population candidates per generation when a run does not say (default 40)
 * @param generations generations when a run does not say (default 30)
 * @param trustRadius the largest change of one trait per proposal (default 0.15)
 * @param scheduleAfter start a run by itself after this many new feedback events on a personality;
 *     0 turns scheduling off (default 20)
 * @param workers threads running evolutions (default 1; runs are CPU work)
 * @param maxQueued runs waiting for a worker before new ones are refused with 503 (default 16)
 */
public record EvolutionConfig(
        Integer population,
        Integer generations,
        Double trustRadius,
        Integer scheduleAfter,
        Integer workers,
        Integer maxQueued) {

    /** States the defaults and validates. */
    public EvolutionConfig {
        population = population == null ? 40 : population;
        generations = generations == null ? 30 : generations;
        trustRadius = trustRadius == null ? 0.15 : trustRadius;
        scheduleAfter = scheduleAfter == null ? 20 : scheduleAfter;
        workers = workers == null ? 1 : workers;
        maxQueued = maxQueued == null ? 16 : maxQueued;
        if (population < 4 || population > EvolutionRequest.MAX_POPULATION) {
            throw new IllegalArgumentException("population must be between 4 and 1000, got " + population);
        }
        if (generations < 1 || generations > EvolutionRequest.MAX_GENERATIONS) {
            throw new IllegalArgumentException("generations must be between 1 and 1000, got " + generations);
        }
        if (!(trustRadius > 0 && trustRadius <= 1)) {
            throw new IllegalArgumentException("trust-radius must be in (0, 1], got " + trustRadius);
        }
        if (scheduleAfter < 0 || workers < 1 || workers > 64 || maxQueued < 1) {
            throw new IllegalArgumentException("schedule-after must be >= 0, workers 1-64 and max-queued >= 1; got "
                    + scheduleAfter + ", " + workers + ", " + maxQueued);
        }
    }

    /** Returns the defaults. */
    public static EvolutionConfig defaults() {
        return new EvolutionConfig(null, null, null, null, null, null);
    }
}
