package dev.nexus.host.evolution;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.Traits;
import java.util.List;

/**
 * Everything one evolution run depends on; the same request gives the same outcome. Immutable.
 *
 * @param personality the personality being evolved
 * @param traits its current traits (values, evolvable flags, bounds)
 * @param evidence the feedback to learn from, oldest first
 * @param seed the seed of every random choice of the run
 * @param population the number of candidates per generation, 4–1000
 * @param generations the number of generations, 1–1000
 * @param trustRadius the largest change of any one trait in this proposal, in (0, 1]
 * @param external extra fitness functions with their weights
 * @param tuning the surrogate's settings
 */
public record EvolutionRequest(
        PersonalityId personality,
        Traits traits,
        List<FeedbackEvidence> evidence,
        long seed,
        int population,
        int generations,
        double trustRadius,
        List<WeightedFitness> external,
        EvolutionTuning tuning) {

    /** The most populous run allowed. */
    public static final int MAX_POPULATION = 1000;
    /** The longest run allowed. */
    public static final int MAX_GENERATIONS = 1000;

    /** Validates sizes and copies lists. */
    public EvolutionRequest {
        if (personality == null || traits == null) {
            throw new IllegalArgumentException("personality and traits are required");
        }
        if (population < 4 || population > MAX_POPULATION) {
            throw new InvalidInputException(
                    "population must be between 4 and " + MAX_POPULATION + ", got " + population);
        }
        if (generations < 1 || generations > MAX_GENERATIONS) {
            throw new InvalidInputException(
                    "generations must be between 1 and " + MAX_GENERATIONS + ", got " + generations);
        }
        if (!(trustRadius > 0 && trustRadius <= 1)) {
            throw new InvalidInputException("trustRadius must be in (0, 1], got " + trustRadius);
        }
        evidence = List.copyOf(evidence);
        external = external == null ? List.of() : List.copyOf(external);
        tuning = tuning == null ? EvolutionTuning.defaults() : tuning;
    }

    /** Returns a request with default sizes (population 40, 30 generations, radius 0.15) and no external fitness. */
    public static EvolutionRequest of(
            PersonalityId personality, Traits traits, List<FeedbackEvidence> evidence, long seed) {
        return new EvolutionRequest(
                personality, traits, evidence, seed, 40, 30, 0.15, List.of(), EvolutionTuning.defaults());
    }

    /** Returns a copy with another trust radius. */
    public EvolutionRequest withTrustRadius(double radius) {
        return new EvolutionRequest(
                personality, traits, evidence, seed, population, generations, radius, external, tuning);
    }

    /** Returns a copy with other external fitness functions. */
    public EvolutionRequest withExternal(List<WeightedFitness> functions) {
        return new EvolutionRequest(
                personality, traits, evidence, seed, population, generations, trustRadius, functions, tuning);
    }

    /** Returns a copy with other tuning. */
    public EvolutionRequest withTuning(EvolutionTuning newTuning) {
        return new EvolutionRequest(
                personality, traits, evidence, seed, population, generations, trustRadius, external, newTuning);
    }
}
