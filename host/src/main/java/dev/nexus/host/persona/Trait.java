package dev.nexus.host.persona;

import dev.nexus.host.InvalidInputException;

/**
 * One named personality trait in [0, 1], with its evolution settings. Immutable.
 *
 * @param name the trait name, e.g. {@code verbosity}
 * @param value the value in [min, max]
 * @param evolvable whether evolution may change it
 * @param min the lowest value evolution may propose (0 by default)
 * @param max the highest value evolution may propose (1 by default)
 */
public record Trait(String name, double value, boolean evolvable, double min, double max) {

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z][a-z0-9-]{0,31}");

    /** Validates range and bounds. */
    public Trait {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("trait name must be lower-case letters, digits or dashes, got '"
                    + InvalidInputException.cap(name) + "'");
        }
        if (!(min >= 0 && max <= 1 && min <= max)) {
            throw new InvalidInputException(
                    "trait '" + name + "' bounds must satisfy 0 <= min <= max <= 1, got [" + min + ", " + max + "]");
        }
        if (!(value >= min && value <= max)) {
            throw new InvalidInputException(
                    "trait '" + name + "' value must be within [" + min + ", " + max + "], got " + value);
        }
    }

    /** Returns an evolvable trait with the full [0, 1] range. */
    public static Trait of(String name, double value) {
        return new Trait(name, value, true, 0, 1);
    }

    /** Returns this trait with another value (clamped to the bounds). */
    public Trait withValue(double newValue) {
        return new Trait(name, Math.max(min, Math.min(max, newValue)), evolvable, min, max);
    }
}
