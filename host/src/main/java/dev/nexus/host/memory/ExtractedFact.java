package dev.nexus.host.memory;

import dev.nexus.host.InvalidInputException;
import java.util.Optional;

/**
 * A fact found in a message, before it is stored. Immutable.
 *
 * @param text the fact in the third person ("The user lives in Lisbon")
 * @param category what it is about
 * @param confidence how sure the extractor is, 0–1
 * @param slot for single-valued facts, the slot it fills ({@code name}, {@code home}, {@code job},
 *     {@code diet}, {@code age}); a newer fact in the same slot replaces the older one
 * @param when for an event, the words that say on which day it happened ("yesterday", "last Tuesday",
 *     "on 2024-03-01"), read in the user's time zone when it is stored
 * @param about the third person the fact is about ("my sister Ana is a nurse"), when it is not the user
 */
public record ExtractedFact(
        String text,
        FactCategory category,
        double confidence,
        Optional<String> slot,
        Optional<String> when,
        Optional<Person> about) {

    /** A fact about the user with no date of its own. */
    public ExtractedFact(String text, FactCategory category, double confidence, Optional<String> slot) {
        this(text, category, confidence, slot, Optional.empty(), Optional.empty());
    }

    /** Validates. */
    public ExtractedFact {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("an extracted fact needs text");
        }
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new InvalidInputException("fact confidence must be between 0 and 1, got " + confidence);
        }
        text = text.strip();
    }
}
