package dev.nexus.host.evolution;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The result of one evolution run: a proposed trait vector and why. Immutable.
 *
 * @param current the trait values the run started from
 * @param proposed the proposed values (equal to {@code current} when nothing better was found)
 * @param diff the traits that change, in declaration order; empty when nothing changes
 * @param generations best and mean fitness per generation
 * @param currentFitness the fitness of the current vector (without the exploration bonus)
 * @param proposedFitness the fitness of the proposed vector (without the exploration bonus)
 * @param currentRating the surrogate's predicted normalised rating of the current vector; empty
 *     without rated evidence
 * @param proposedRating the same for the proposed vector
 * @param evidence what the run used
 */
public record EvolutionOutcome(
        Map<String, Double> current,
        Map<String, Double> proposed,
        List<TraitChange> diff,
        List<GenerationStats> generations,
        double currentFitness,
        double proposedFitness,
        OptionalDouble currentRating,
        OptionalDouble proposedRating,
        RunEvidence evidence) {

    /** Copies the collections. */
    public EvolutionOutcome {
        current = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(current));
        proposed = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(proposed));
        diff = List.copyOf(diff);
        generations = List.copyOf(generations);
    }

    /** Returns true when the run proposes a change. */
    public boolean changes() {
        return !diff.isEmpty();
    }
}
