package dev.nexus.api.evolution;

import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link FitnessFunction} judges. Immutable.
 *
 * @param personality the id of the personality being evolved
 * @param traits the names of the trait dimensions, in the order of every vector below
 * @param candidates the trait vectors to score, each with {@code traits.size()} values in [0, 1]
 * @param evidence the feedback gathered for this personality, oldest first
 * @param seed a seed for any randomness the function needs (the run's seed), so runs replay exactly
 */
public record FitnessRequest(
        String personality, List<String> traits, List<double[]> candidates, List<FeedbackSample> evidence, long seed) {

    /** Validates shapes and copies every array. */
    public FitnessRequest {
        traits = List.copyOf(traits);
        List<double[]> copies = new ArrayList<>(candidates.size());
        for (double[] candidate : candidates) {
            if (candidate.length != traits.size()) {
                throw new IllegalArgumentException(
                        "candidate has " + candidate.length + " values but there are " + traits.size() + " traits");
            }
            copies.add(candidate.clone());
        }
        candidates = List.copyOf(copies);
        evidence = List.copyOf(evidence);
    }

    /** Returns a copy of candidate {@code index}. */
    public double[] candidate(int index) {
        return candidates.get(index).clone();
    }
}
