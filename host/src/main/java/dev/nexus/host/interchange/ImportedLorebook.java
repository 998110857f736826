package dev.nexus.host.interchange;

import dev.nexus.api.knowledge.KnowledgePack;
import dev.nexus.api.knowledge.LoreEntry;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A standalone lorebook read from a SillyTavern World Info file or a V3 {@code lorebook_v3} file,
 * ready to be registered as a knowledge pack. Immutable.
 *
 * @param name the book's name (from the file, else from the file name, else "Lorebook")
 * @param description the book's description; empty when it has none
 * @param format where it came from
 * @param entries the entries, in file order; fields the native entry does not model are in each
 *     entry's extensions under the V2 card names (SillyTavern's {@code probability}, {@code depth},
 *     {@code group}, …)
 * @param extensions book-level fields we do not model ({@code scan_depth}, {@code token_budget},
 *     {@code recursive_scanning}, the book's {@code extensions}, unknown keys), kept as read
 * @param warnings what was changed or could not be used, for the person importing
 */
public record ImportedLorebook(
        String name,
        String description,
        SourceFormat format,
        List<LoreEntry> entries,
        Map<String, Object> extensions,
        List<String> warnings) {

    /** Copies the collections. */
    public ImportedLorebook {
        name = name == null || name.isBlank() ? "Lorebook" : name;
        description = description == null ? "" : description;
        entries = List.copyOf(entries);
        extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
        warnings = List.copyOf(warnings);
    }

    /**
     * Returns the book as a knowledge pack with the given id (category {@code lorebook}, no topics or
     * facts: its entries activate by their own keys).
     *
     * @throws IllegalArgumentException when {@code id} is not a valid pack id
     */
    public KnowledgePack asKnowledgePack(String id) {
        return new KnowledgePack(id, name, "1.0.0", "lorebook", List.of(), List.of(), entries);
    }
}
