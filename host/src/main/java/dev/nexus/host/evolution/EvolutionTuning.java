package dev.nexus.host.evolution;

import dev.nexus.host.InvalidInputException;

/**
 * Settings of the satisfaction surrogate the engine optimises. Immutable. The defaults were chosen
 * with the simulated-user benchmark ({@code docs/benchmarks.md}).
 *
 * @param ratingNoise the assumed standard deviation of one normalised rating (0.15 ≈ 0.6 stars)
 * @param curvature the prior curvature of satisfaction around the current vector, per unit²;
 *     larger values keep proposals closer to the status quo until ratings say otherwise
 * @param exploration the weight of the surrogate's uncertainty in the fitness (optimism), 0 for none
 * @param critiqueWeight how strongly critique evidence pulls a trait towards where critiques place
 *     its ideal, in rating units per unit² at full confidence
 * @param critiqueTolerance how far (in trait units) a trait must be from a person's ideal before
 *     they critique it; the critique model's threshold
 * @param raterBias the prior standard deviation of a rater's personal rating offset
 */
public record EvolutionTuning(
        double ratingNoise,
        double curvature,
        double exploration,
        double critiqueWeight,
        double critiqueTolerance,
        double raterBias) {

    private static final EvolutionTuning DEFAULTS = new EvolutionTuning(0.15, 1.0, 0.5, 4.0, 0.1, 0.1);

    /** Validates that every setting is a finite, sensible number. */
    public EvolutionTuning {
        positive("ratingNoise", ratingNoise);
        nonNegative("curvature", curvature);
        nonNegative("exploration", exploration);
        nonNegative("critiqueWeight", critiqueWeight);
        positive("critiqueTolerance", critiqueTolerance);
        positive("raterBias", raterBias);
    }

    /** Returns the defaults. */
    public static EvolutionTuning defaults() {
        return DEFAULTS;
    }

    /** Returns a copy with another exploration weight. */
    public EvolutionTuning withExploration(double value) {
        return new EvolutionTuning(ratingNoise, curvature, value, critiqueWeight, critiqueTolerance, raterBias);
    }

    private static void positive(String name, double value) {
        if (!(value > 0 && value < Double.POSITIVE_INFINITY)) {
            throw new InvalidInputException("tuning " + name + " must be a finite number > 0, got " + value);
        }
    }

    private static void nonNegative(String name, double value) {
        if (!(value >= 0 && value < Double.POSITIVE_INFINITY)) {
            throw new InvalidInputException("tuning " + name + " must be a finite number >= 0, got " + value);
        }
    }
}
