package dev.nexus.host.evolution;

import dev.nexus.host.InvalidInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One feedback event as evidence for an evolution run: the trait vector the rated reply was
 * written with, its normalised rating and its critiques. Immutable.
 *
 * @param traits the trait values the reply was written with, by trait name
 * @param rating the rating normalised to [0, 1] (1 star = 0, 5 stars = 1, thumbs down = 0, thumbs
 *     up = 1), or {@code NaN} when the event carried no rating
 * @param critiques signed directions by trait name: {@code -1} "lower this trait" (e.g. "too long"
 *     on verbosity), {@code +1} "raise it"
 * @param rater who gave the feedback (an opaque key), so the surrogate can learn each rater's
 *     bias; empty when unknown
 * @param replyLength the rated reply's length in characters, 0 when unknown
 * @param messageLength the length of the message the reply answered, 0 when unknown
 */
public record FeedbackEvidence(
        Map<String, Double> traits,
        double rating,
        Map<String, Integer> critiques,
        Optional<String> rater,
        int replyLength,
        int messageLength) {

    /** Validates ranges and copies the maps (keeping their order). */
    public FeedbackEvidence {
        traits = Collections.unmodifiableMap(new LinkedHashMap<>(traits));
        traits.forEach((name, value) -> {
            if (value == null || !(value >= 0 && value <= 1)) {
                throw new InvalidInputException("evidence trait '" + name + "' must be in [0, 1], got " + value);
            }
        });
        if (!Double.isNaN(rating) && !(rating >= 0 && rating <= 1)) {
            throw new InvalidInputException("evidence rating must be in [0, 1] or NaN, got " + rating);
        }
        critiques = critiques == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(critiques));
        critiques.forEach((name, direction) -> {
            if (direction == null || (direction != 1 && direction != -1)) {
                throw new InvalidInputException("critique on '" + name + "' must be -1 or +1, got " + direction);
            }
        });
        rater = rater == null ? Optional.empty() : rater;
        if (replyLength < 0 || messageLength < 0) {
            throw new InvalidInputException(
                    "evidence lengths must be >= 0, got " + replyLength + " and " + messageLength);
        }
    }

    /** Returns evidence with a rating only. */
    public static FeedbackEvidence rated(Map<String, Double> traits, double rating) {
        return new FeedbackEvidence(traits, rating, Map.of(), Optional.empty(), 0, 0);
    }

    /** Returns true when this event carries a rating. */
    public boolean isRated() {
        return !Double.isNaN(rating);
    }
}
