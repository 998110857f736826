package dev.nexus.host.memory;

import dev.nexus.host.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a fact is about. The category sets a fact's base importance (what a person would hold on
 * to longest: who someone is and what could harm them, then where they live and what they eat,
 * down to passing remarks). Written in lower case in JSON.
 */
public enum FactCategory {
    IDENTITY(0.9),
    HEALTH(0.9),
    DIET(0.8),
    LOCATION(0.75),
    WORK(0.7),
    RELATIONSHIP(0.7),
    GOAL(0.65),
    PREFERENCE(0.55),
    EVENT(0.5),
    SUMMARY(0.5),
    OTHER(0.4);

    private final double baseImportance;

    FactCategory(double baseImportance) {
        this.baseImportance = baseImportance;
    }

    /** Returns the importance of a certain fact of this category, before confidence. */
    public double baseImportance() {
        return baseImportance;
    }

    /** Returns the JSON name, e.g. {@code diet}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a label; unknown labels are {@link InvalidInputException}s listing the known ones. */
    public static FactCategory parse(String label) {
        if (label != null) {
            for (FactCategory category : values()) {
                if (category.label().equals(label.strip().toLowerCase(Locale.ROOT))) {
                    return category;
                }
            }
        }
        throw new InvalidInputException("unknown fact category '" + InvalidInputException.cap(label) + "'; use one of "
                + Arrays.stream(values()).map(FactCategory::label).toList());
    }
}
