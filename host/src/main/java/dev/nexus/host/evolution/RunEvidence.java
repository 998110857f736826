package dev.nexus.host.evolution;

import java.util.List;

/**
 * What a proposal was computed from; enough to replay the run. Immutable.
 *
 * @param seed the run's seed
 * @param generations generations run
 * @param population candidates per generation
 * @param trustRadius the largest allowed change of one trait
 * @param feedbackCount feedback events used
 * @param ratedCount of those, events with a rating
 * @param critiqueCount critiques (trait directions) among them
 * @param functions the external fitness functions and how each took part
 */
public record RunEvidence(
        long seed,
        int generations,
        int population,
        double trustRadius,
        int feedbackCount,
        int ratedCount,
        int critiqueCount,
        List<FitnessUse> functions) {

    /** Copies the list. */
    public RunEvidence {
        functions = List.copyOf(functions);
    }
}
