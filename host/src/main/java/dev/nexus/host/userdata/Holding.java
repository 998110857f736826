package dev.nexus.host.userdata;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What one feature holds about a person, and how to hand it over or erase it. The composition root
 * builds one per feature from that feature's front door. Immutable.
 *
 * @param name the section of the export ({@code "conversations"}, {@code "memory"}, …)
 * @param export returns everything the feature holds about a user id, as JSON-ready values
 * @param erase erases it and returns how many of each kind of thing were erased
 */
public record Holding(String name, Function<String, Object> export, Function<String, Map<String, Integer>> erase) {

    /** Validates the holding. */
    public Holding {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a holding needs a name");
        }
        Objects.requireNonNull(export, "export");
        Objects.requireNonNull(erase, "erase");
    }
}
