package dev.nexus.api.knowledge;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A themed body of knowledge. Immutable.
 *
 * @param id stable id, lower case letters, digits and dashes (e.g. {@code personal-finance})
 * @param name human-readable name
 * @param version the pack's own version, e.g. {@code 1.0.0}
 * @param category a broad category such as {@code finance}
 * @param topics keywords that make the whole pack relevant to a message (case-insensitive, whole words)
 * @param facts standalone statements the personality may rely on
 * @param entries keyword-activated lore entries
 */
public record KnowledgePack(
        String id,
        String name,
        String version,
        String category,
        List<String> topics,
        List<String> facts,
        List<LoreEntry> entries) {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    /** Validates the id and copies the lists. */
    public KnowledgePack {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("knowledge pack id must match " + ID.pattern() + ", got '" + id + "'");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("knowledge pack '" + id + "' needs a name");
        }
        version = version == null || version.isBlank() ? "1.0.0" : version;
        category = category == null || category.isBlank() ? "general" : category;
        topics = topics == null ? List.of() : List.copyOf(topics);
        facts = facts == null ? List.of() : List.copyOf(facts);
        entries = entries == null ? List.of() : List.copyOf(entries);
    }
}
