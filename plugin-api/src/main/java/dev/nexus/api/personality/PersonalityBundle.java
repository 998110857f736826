package dev.nexus.api.personality;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * A personality in the native bundle format: the text of a {@code persona.yaml} document plus the
 * files that sit beside it (a long prompt, an avatar). The host parses and validates the document;
 * see {@code docs/personality-format.md} and its JSON Schema. Immutable.
 *
 * @param id the personality id; must equal the document's {@code id}
 * @param persona the persona document as YAML (JSON is valid YAML)
 * @param files neighbouring files by relative name, e.g. {@code prompt.md} or {@code avatar.png}
 */
public record PersonalityBundle(String id, String persona, Map<String, byte[]> files) {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    /** Validates the id and copies the files. */
    public PersonalityBundle {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("personality id must match " + ID.pattern() + ", got '" + id + "'");
        }
        if (persona == null || persona.isBlank()) {
            throw new IllegalArgumentException("personality '" + id + "' has an empty persona document");
        }
        java.util.LinkedHashMap<String, byte[]> copy = new java.util.LinkedHashMap<>();
        if (files != null) {
            files.forEach((name, bytes) -> copy.put(name, bytes.clone()));
        }
        files = java.util.Collections.unmodifiableMap(copy);
    }
}
