package dev.nexus.host.knowledge;

import dev.nexus.api.knowledge.KnowledgePack;
import dev.nexus.api.knowledge.LoreEntry;
import dev.nexus.host.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/**
 * A registered pack with its keys compiled once. A key that cannot be compiled (empty, an invalid
 * regular expression) is skipped and reported in {@code problems}; an entry left without any usable
 * primary key (and not constant) is skipped too. One bad entry never disables the rest (issue 12).
 * Immutable.
 *
 * @param pack the pack
 * @param origin where it came from
 * @param source the plugin id, file path or "api"
 * @param topics compiled topic keys (whole words, case-insensitive)
 * @param entries compiled lore entries that can activate
 * @param problems what was skipped and why
 */
record CompiledPack(KnowledgePack pack, PackOrigin origin, String source, List<LoreKey> topics, List<CompiledEntry> entries,
        List<String> problems) {

    /**
     * A lore entry with compiled keys.
     *
     * @param entry the entry
     * @param primary compiled primary keys
     * @param secondary compiled secondary keys
     * @param scanDepth how many messages this entry scans, or 0 for the configured default
     * @param id the entry's id, or for an entry without one a stable id made from its keys and content
     */
    record CompiledEntry(LoreEntry entry, List<LoreKey> primary, List<LoreKey> secondary, int scanDepth, String id) {
    }

    /** Compiles {@code pack}, skipping what cannot be compiled (see {@link #problems()}). */
    static CompiledPack of(KnowledgePack pack, PackOrigin origin, String source) {
        List<String> problems = new ArrayList<>();
        List<LoreKey> topics = new ArrayList<>();
        for (String topic : pack.topics()) {
            compile(topic, false, false, true, "topic", problems).ifPresent(topics::add);
        }
        List<CompiledEntry> entries = new ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < pack.entries().size(); i++) {
            LoreEntry e = pack.entries().get(i);
            String label = "entry " + (e.id().isBlank() ? "#" + i : "'" + e.id() + "'");
            List<LoreKey> primary = new ArrayList<>();
            e.keys().forEach(k -> compile(k, e.useRegex(), e.caseSensitive(), e.wholeWords(), label, problems).ifPresent(primary::add));
            List<LoreKey> secondary = new ArrayList<>();
            e.secondaryKeys().forEach(k -> compile(k, e.useRegex(), e.caseSensitive(), e.wholeWords(), label, problems)
                    .ifPresent(secondary::add));
            if (!e.keys().isEmpty() && primary.isEmpty() && !e.constant()) {
                problems.add(label + ": no usable key is left; the entry is skipped");
                continue;
            }
            entries.add(new CompiledEntry(e, List.copyOf(primary), List.copyOf(secondary), scanDepth(e.extensions()),
                    entryId(e, i, ids)));
        }
        return new CompiledPack(pack, origin, source, List.copyOf(topics), List.copyOf(entries), List.copyOf(problems));
    }

    /**
     * Returns the entry's id; an entry without one (cards may leave it out) gets {@code entry-<hash>} of
     * its keys and content, stable across restarts and reorderings, and unique within the pack.
     */
    private static String entryId(LoreEntry e, int index, java.util.Set<String> taken) {
        String id = e.id().isBlank()
                ? "entry-" + Integer.toHexString((String.join("\u0001", e.keys()) + "\u0000" + e.content()).hashCode())
                : e.id();
        if (!taken.add(id)) {
            id = id + "-" + index;
            taken.add(id);
        }
        return id;
    }

    private static Optional<LoreKey> compile(String key, boolean regex, boolean caseSensitive, boolean wholeWords, String label,
            List<String> problems) {
        try {
            return Optional.of(LoreKey.compile(key, regex, caseSensitive, wholeWords));
        } catch (InvalidInputException e) {
            problems.add(label + ": " + e.getMessage());
            return Optional.empty();
        }
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
