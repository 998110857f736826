package dev.nexus.host.persona;

import dev.nexus.host.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A condition on one trait, such as {@code directness>0.7}: operators {@code >}, {@code >=}, {@code <},
 * {@code <=}, {@code =} (within 0.005). A personality that does not declare the trait fails every
 * condition on it. Immutable.
 *
 * @param trait the trait name
 * @param operator one of the operators above
 * @param value the number compared with, in [0, 1]
 */
public record TraitFilter(String trait, String operator, double value) {

    private static final Pattern FORM =
            Pattern.compile("\\s*([a-z][a-z0-9_-]{0,63})\\s*(>=|<=|>|<|=)\\s*([0-9]*\\.?[0-9]+)\\s*");

    /** Validates the value. */
    public TraitFilter {
        if (!(value >= 0 && value <= 1)) {
            throw new InvalidInputException("a trait filter compares with a number in [0, 1], got " + value);
        }
    }

    /**
     * Parses one filter, or several separated by commas.
     *
     * @throws InvalidInputException naming the filter and the expected form
     */
    public static List<TraitFilter> parse(String text) {
        List<TraitFilter> filters = new ArrayList<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            Matcher m = FORM.matcher(part.toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new InvalidInputException("trait filter '" + InvalidInputException.cap(part.strip())
                        + "' must look like 'directness>0.7' (a trait, one of > >= < <= =, a number in [0, 1])");
            }
            filters.add(new TraitFilter(m.group(1), m.group(2), Double.parseDouble(m.group(3))));
        }
        return filters;
    }

    /** Returns true when {@code personality} declares the trait and its value satisfies the condition. */
    public boolean test(Personality personality) {
        return personality
                .traits()
                .trait(trait)
                .map(t -> switch (operator) {
                    case ">" -> t.value() > value;
                    case ">=" -> t.value() >= value;
                    case "<" -> t.value() < value;
                    case "<=" -> t.value() <= value;
                    default -> Math.abs(t.value() - value) < 0.005;
                })
                .orElse(false);
    }

    @Override
    public String toString() {
        return trait + operator + value;
    }
}
