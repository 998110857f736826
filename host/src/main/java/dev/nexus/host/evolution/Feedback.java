package dev.nexus.host.evolution;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One stored feedback event on one reply. Immutable.
 *
 * @param id the feedback id
 * @param message the reply's message id
 * @param personality the personality id
 * @param personalityVersion the version that wrote the reply
 * @param traits the trait values the reply was written with
 * @param rating the rating normalised to [0, 1] (1 star = 0, 5 stars = 1, down = 0, up = 1), if given
 * @param ratingGiven the rating as given: {@code "1"}–{@code "5"}, {@code "up"} or {@code "down"}
 * @param critiques the critique terms
 * @param comment free text, never used by the engine
 * @param rater the API key id that gave it
 * @param replyLength the reply's length in characters
 * @param messageLength the length of the message it answered
 * @param createdAt when it was given
 */
public record Feedback(
        String id,
        String message,
        String personality,
        int personalityVersion,
        Map<String, Double> traits,
        OptionalDouble rating,
        Optional<String> ratingGiven,
        List<String> critiques,
        Optional<String> comment,
        String rater,
        int replyLength,
        int messageLength,
        Instant createdAt) {

    /** Copies collections. */
    public Feedback {
        traits = Collections.unmodifiableMap(new LinkedHashMap<>(traits));
        critiques = List.copyOf(critiques);
    }

    /** Returns this feedback as engine evidence. */
    FeedbackEvidence evidence() {
        Map<String, Integer> directions = new LinkedHashMap<>();
        for (String term : critiques) {
            // Terms were validated when stored; one dropped from a later vocabulary is skipped, not fatal.
            java.util.Arrays.stream(Critique.values())
                    .filter(c -> c.term().equals(term))
                    .findFirst()
                    .ifPresent(critique -> directions.put(critique.trait(), critique.direction()));
        }
        return new FeedbackEvidence(
                traits, rating.orElse(Double.NaN), directions, Optional.of(rater), replyLength, messageLength);
    }
}
