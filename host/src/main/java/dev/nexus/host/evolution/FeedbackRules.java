package dev.nexus.host.evolution;

import dev.nexus.host.InvalidInputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Validates feedback: a rating of 1–5 stars or thumbs {@code "up"}/{@code "down"}, critiques from
 * the {@link Critique} vocabulary (at most 8, no repeats, no two that pull one trait both ways), a
 * comment of at most 4000 characters, and at least one of the three. Stateless.
 */
final class FeedbackRules {

    static final int MAX_CRITIQUES = 8;
    static final int MAX_COMMENT = 4000;

    private FeedbackRules() {}

    record Checked(
            String message,
            OptionalDouble rating,
            Optional<String> ratingGiven,
            List<Critique> critiques,
            Optional<String> comment) {}

    static Checked check(EvolutionService.FeedbackBody body) {
        if (body.message() == null || body.message().isBlank() || body.message().length() > 64) {
            throw new InvalidInputException("message must be the id of a reply (1-64 characters), got '"
                    + InvalidInputException.cap(body.message()) + "'");
        }
        OptionalDouble rating = OptionalDouble.empty();
        Optional<String> given = Optional.empty();
        if (body.rating() != null) {
            given = Optional.of(ratingText(body.rating()));
            rating = OptionalDouble.of(
                    switch (given.get()) {
                        case "up" -> 1.0;
                        case "down" -> 0.0;
                        default -> (Integer.parseInt(given.get()) - 1) / 4.0;
                    });
        }
        List<Critique> critiques = critiques(body.critiques() == null ? List.of() : body.critiques());
        Optional<String> comment =
                Optional.ofNullable(body.comment()).map(String::strip).filter(c -> !c.isEmpty());
        if (comment.isPresent() && comment.get().length() > MAX_COMMENT) {
            throw new InvalidInputException("comment must be at most " + MAX_COMMENT + " characters, got "
                    + comment.get().length());
        }
        if (rating.isEmpty() && critiques.isEmpty() && comment.isEmpty()) {
            throw new InvalidInputException("feedback needs a rating (1-5 or \"up\"/\"down\"), critiques or a comment");
        }
        return new Checked(body.message(), rating, given, critiques, comment);
    }

    /** Refuses critiques on traits the reply's personality version does not declare. */
    static void requireDeclared(List<Critique> critiques, Reply reply) {
        for (Critique critique : critiques) {
            if (!reply.traits().containsKey(critique.trait())) {
                throw new InvalidInputException("critique '" + critique.term() + "' concerns trait '" + critique.trait()
                        + "', which personality '" + reply.personality() + "' (version " + reply.personalityVersion()
                        + ") does not declare; its traits are " + reply.traits().keySet());
            }
        }
    }

    private static String ratingText(Object rating) {
        if (rating instanceof Integer stars && stars >= 1 && stars <= 5) {
            return Integer.toString(stars);
        }
        if (rating instanceof String thumbs && (thumbs.equals("up") || thumbs.equals("down"))) {
            return thumbs;
        }
        throw new InvalidInputException(
                "rating must be a whole number of stars from 1 to 5, or \"up\" or \"down\"; got "
                        + InvalidInputException.cap(String.valueOf(rating)));
    }

    private static List<Critique> critiques(List<String> terms) {
        if (terms.size() > MAX_CRITIQUES) {
            throw new InvalidInputException(
                    "at most " + MAX_CRITIQUES + " critiques per feedback, got " + terms.size());
        }
        List<Critique> critiques = new ArrayList<>();
        Map<String, Critique> byTrait = new HashMap<>();
        for (String term : terms) {
            Critique critique = Critique.parse(term);
            Critique earlier = byTrait.put(critique.trait(), critique);
            if (earlier == critique) {
                throw new InvalidInputException("critique '" + critique.term() + "' is given twice; give each once");
            }
            if (earlier != null) {
                throw new InvalidInputException("critiques '" + earlier.term() + "' and '" + critique.term()
                        + "' contradict each other (both about " + critique.trait() + "); keep one");
            }
            critiques.add(critique);
        }
        return critiques;
    }
}
