package dev.nexus.host.memory;

import dev.nexus.host.InvalidInputException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What is known about a user at a glance: a display name and free attributes the user or an admin
 * set, the user's most important facts, and how each personality gets on with them. Immutable.
 *
 * @param user the user id
 * @param displayName the name to use, empty when unknown
 * @param attributes free key/value attributes (e.g. timezone, language)
 * @param updatedAt when the name or attributes were last set; empty if never
 * @param facts the user's most important facts
 * @param relationships one per personality the user talked to
 */
public record Profile(
        String user,
        String displayName,
        Map<String, String> attributes,
        Optional<Instant> updatedAt,
        List<Fact> facts,
        List<Relationship> relationships) {

    static final int MAX_ATTRIBUTES = 50;
    static final int MAX_VALUE = 500;

    /** Copies the collections. */
    public Profile {
        attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        facts = List.copyOf(facts);
        relationships = List.copyOf(relationships);
    }

    /**
     * The body of {@code PUT /v1/memory/profile/{user}}. Immutable.
     *
     * @param displayName the name to use (at most 200 characters)
     * @param attributes at most 50 attributes, keys up to 64 and values up to 500 characters
     */
    public record Update(String displayName, Map<String, String> attributes) {

        /** Validates and applies defaults. */
        public Update {
            displayName = displayName == null ? "" : displayName.strip();
            attributes = attributes == null ? Map.of() : attributes;
            if (displayName.length() > 200) {
                throw new InvalidInputException(
                        "displayName is " + displayName.length() + " characters, at most 200 are allowed");
            }
            if (attributes.size() > MAX_ATTRIBUTES) {
                throw new InvalidInputException(
                        "a profile has at most " + MAX_ATTRIBUTES + " attributes, got " + attributes.size());
            }
            for (Map.Entry<String, String> attribute : attributes.entrySet()) {
                if (attribute.getKey() == null
                        || attribute.getKey().isBlank()
                        || attribute.getKey().length() > 64) {
                    throw new InvalidInputException("attribute names must be 1-64 characters, got '"
                            + InvalidInputException.cap(attribute.getKey()) + "'");
                }
                if (attribute.getValue() == null || attribute.getValue().length() > MAX_VALUE) {
                    throw new InvalidInputException("attribute '" + InvalidInputException.cap(attribute.getKey())
                            + "' must be a string of at most " + MAX_VALUE + " characters");
                }
            }
            attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        }
    }
}
