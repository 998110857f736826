package dev.nexus.host.knowledge;

import dev.nexus.api.knowledge.KnowledgePack;
import dev.nexus.api.knowledge.LoreEntry;
import java.util.List;
import java.util.Map;

/**
 * A registered pack with its keys compiled once. Immutable.
 *
 * @param pack the pack
 * @param origin where it came from
 * @param source the plugin id, file path or "api"
 * @param topics compiled topic keys (whole words, case-insensitive)
 * @param entries compiled lore entries
 */
record CompiledPack(KnowledgePack pack, PackOrigin origin, String source, List<LoreKey> topics, List<CompiledEntry> entries) {

    /**
     * A lore entry with compiled keys.
     *
     * @param entry the entry
     * @param primary compiled primary keys
     * @param secondary compiled secondary keys
     * @param scanDepth how many messages this entry scans, or 0 for the configured default
     */
    record CompiledEntry(LoreEntry entry, List<LoreKey> primary, List<LoreKey> secondary, int scanDepth) {
    }

    /** Compiles {@code pack}; throws {@link dev.nexus.host.InvalidInputException} for a bad key. */
    static CompiledPack of(KnowledgePack pack, PackOrigin origin, String source) {
        List<LoreKey> topics = pack.topics().stream().map(t -> LoreKey.compile(t, false, false, true)).toList();
        List<CompiledEntry> entries = pack.entries().stream().map(e -> new CompiledEntry(e,
                e.keys().stream().map(k -> LoreKey.compile(k, e.useRegex(), e.caseSensitive(), e.wholeWords())).toList(),
                e.secondaryKeys().stream().map(k -> LoreKey.compile(k, e.useRegex(), e.caseSensitive(), e.wholeWords())).toList(),
                scanDepth(e.extensions()))).toList();
        return new CompiledPack(pack, origin, source, topics, entries);
    }

    /** Returns whether nothing in the pack can be matched by keys (it activates by meaning instead). */
    boolean keyless() {
        return topics.isEmpty() && entries.stream().allMatch(e -> e.primary().isEmpty());
    }

    /** Returns the text whose embedding stands for the whole pack. */
    String profile() {
        StringBuilder text = new StringBuilder(pack.name()).append(". ").append(pack.category()).append('.');
        pack.facts().stream().limit(20).forEach(f -> text.append(' ').append(f));
        pack.entries().stream().filter(LoreEntry::enabled).limit(20).forEach(e -> text.append(' ').append(e.content()));
        return text.length() > 2000 ? text.substring(0, 2000) : text.toString();
    }

    private static int scanDepth(Map<String, Object> extensions) {
        Object depth = extensions.containsKey("scan_depth") ? extensions.get("scan_depth") : extensions.get("scanDepth");
        return depth instanceof Number n && n.intValue() > 0 ? Math.min(n.intValue(), 100) : 0;
    }
}
