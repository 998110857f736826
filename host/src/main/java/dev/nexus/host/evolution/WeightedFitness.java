package dev.nexus.host.evolution;

import dev.nexus.host.InvalidInputException;

/**
 * An external fitness function with the weight its scores get in the run's fitness. Immutable.
 *
 * @param function the function
 * @param weight its weight, finite and at least 0 (a score of 1 adds {@code weight} to the fitness)
 */
public record WeightedFitness(ExternalFitness function, double weight) {

    /** Validates the weight. */
    public WeightedFitness {
        if (function == null) {
            throw new IllegalArgumentException("function is required");
        }
        if (!(weight >= 0 && weight < Double.POSITIVE_INFINITY)) {
            throw new InvalidInputException(
                    "fitness weight for '" + function.id() + "' must be a finite number >= 0, got " + weight);
        }
    }
}
