package dev.nexus.host.goals;

import dev.nexus.host.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;

/** Where a goal is: worked on, set aside for now, or reached. */
public enum GoalStatus {
    /** Being worked on: part of the user's recalled context in chat, and checked for stalls. */
    ACTIVE,
    /** Set aside; kept, but not recalled in chat and not checked for stalls. */
    PAUSED,
    /** Reached. */
    COMPLETED;

    /** Returns the label used in the API, e.g. {@code active}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a label; unknown labels are {@link InvalidInputException}s listing the valid ones. */
    public static GoalStatus parse(String field, String label) {
        for (GoalStatus status : values()) {
            if (status.label().equals(label)) {
                return status;
            }
        }
        throw new InvalidInputException("'" + field + "' must be one of "
                + Arrays.stream(values()).map(GoalStatus::label).toList() + ", got '" + InvalidInputException.cap(label)
                + "'");
    }
}
