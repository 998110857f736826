package dev.nexus.host.evolution;

import dev.nexus.host.InvalidInputException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The critique vocabulary: each critique is a signed direction on one trait ("too long" means
 * "lower verbosity"). Critiques carry far more information than stars; the engine uses them as
 * directional evidence (see {@code docs/evolution.md}).
 */
public enum Critique {
    TOO_LONG("too-long", "verbosity", -1),
    TOO_SHORT("too-short", "verbosity", 1),
    TOO_FORMAL("too-formal", "formality", -1),
    TOO_CASUAL("too-casual", "formality", 1),
    MORE_HUMOR("more-humor", "humor", 1),
    LESS_HUMOR("less-humor", "humor", -1),
    TOO_BLUNT("too-blunt", "directness", -1),
    TOO_SOFT("too-soft", "directness", 1),
    TOO_COLD("too-cold", "warmth", 1),
    TOO_EFFUSIVE("too-effusive", "warmth", -1),
    TOO_MANY_QUESTIONS("too-many-questions", "curiosity", -1),
    MORE_CURIOUS("more-curious", "curiosity", 1),
    MORE_EMPATHY("more-empathy", "empathy", 1),
    TOO_SENTIMENTAL("too-sentimental", "empathy", -1),
    MORE_CREATIVE("more-creative", "creativity", 1),
    TOO_FANCIFUL("too-fanciful", "creativity", -1),
    TOO_UNSURE("too-unsure", "confidence", 1),
    TOO_COCKY("too-cocky", "confidence", -1),
    TOO_SERIOUS("too-serious", "playfulness", 1),
    TOO_SILLY("too-silly", "playfulness", -1);

    private final String term;
    private final String trait;
    private final int direction;

    Critique(String term, String trait, int direction) {
        this.term = term;
        this.trait = trait;
        this.direction = direction;
    }

    /** Returns the term used in the API, e.g. {@code too-long}. */
    public String term() {
        return term;
    }

    /** Returns the trait it concerns, e.g. {@code verbosity}. */
    public String trait() {
        return trait;
    }

    /** Returns -1 for "lower the trait", +1 for "raise it". */
    public int direction() {
        return direction;
    }

    /** Returns every term, in vocabulary order. */
    public static List<String> terms() {
        return Arrays.stream(values()).map(Critique::term).toList();
    }

    /**
     * Parses a term; case, spaces, underscores and the British "humour" are forgiven
     * ({@code "Too long"} and {@code more_humour} both work).
     *
     * @throws InvalidInputException naming the term and listing the vocabulary
     */
    public static Critique parse(String text) {
        String term = text == null
                ? ""
                : text.strip()
                        .toLowerCase(Locale.ROOT)
                        .replaceAll("[\\s_]+", "-")
                        .replace("humour", "humor");
        for (Critique critique : values()) {
            if (critique.term.equals(term)) {
                return critique;
            }
        }
        throw new InvalidInputException(
                "unknown critique '" + InvalidInputException.cap(text) + "'; the vocabulary is " + terms());
    }
}
