package dev.nexus.api.evolution;

import java.util.Map;

/**
 * One piece of feedback on one reply, as evidence for fitness functions. Immutable.
 *
 * @param traits the trait vector the reply was written with (order as in {@link FitnessRequest#traits()})
 * @param rating the rating normalised to [0, 1] (1 star = 0, 5 stars = 1, thumbs down = 0, up = 1),
 *     or {@code NaN} when the feedback had no rating
 * @param critiques signed directions per trait name: {@code -1} means "lower this trait" (e.g. "too
 *     long" on verbosity), {@code +1} means "raise it"
 * @param replyLength the length of the rated reply in characters
 * @param userMessageLength the length of the message the reply answered, in characters
 */
public record FeedbackSample(
        double[] traits, double rating, Map<String, Integer> critiques, int replyLength, int userMessageLength) {

    /** Copies the vector and map. */
    public FeedbackSample {
        traits = traits.clone();
        critiques = critiques == null ? Map.of() : Map.copyOf(critiques);
    }

    /** Returns a copy of the trait vector. */
    @Override
    public double[] traits() {
        return traits.clone();
    }

    /** Returns true when this sample carries a rating. */
    public boolean rated() {
        return !Double.isNaN(rating);
    }
}
