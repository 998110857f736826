package dev.nexus.host.knowledge;

import dev.nexus.api.knowledge.KnowledgePack;
import dev.nexus.api.knowledge.LoreEntry;
import dev.nexus.host.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A registered pack with its keys compiled once and its entries' World Info settings read. A key
 * that cannot match (empty) is skipped and reported in {@code problems}; a key that looks like
 * {@code /pattern/flags} but is no valid regular expression is matched as plain text, as SillyTavern
 * does, and reported too. One bad key never disables anything else (issue 12). Immutable.
 *
 * @param pack the pack
 * @param origin where it came from
 * @param source the plugin id, file path or "api"
 * @param topics compiled topic keys (whole words, case-insensitive)
 * @param entries compiled lore entries (enabled ones)
 * @param book the book-level World Info settings
 * @param problems what was skipped or read leniently, and why
 */
record CompiledPack(
        KnowledgePack pack,
        PackOrigin origin,
        String source,
        List<LoreKey> topics,
        List<CompiledEntry> entries,
        BookRules book,
        List<String> problems) {

    /**
     * A lore entry with compiled keys.
     *
     * @param entry the entry
     * @param primary compiled primary keys
     * @param secondary compiled secondary keys
     * @param secondaryTotal how many secondary keys the entry has, empty ones included (they never match)
     * @param rules the entry's World Info settings
     * @param additional keys of an {@code @@additional_keys} decorator (one must match too)
     * @param excluded keys of an {@code @@exclude_keys} decorator (none may match)
     * @param id the entry's id, or for an entry without one a stable id made from its keys and content
     */
    record CompiledEntry(
            LoreEntry entry,
            List<LoreKey> primary,
            List<LoreKey> secondary,
            int secondaryTotal,
            EntryRules rules,
            List<LoreKey> additional,
            List<LoreKey> excluded,
            String id) {}

    /** Compiles {@code pack} without book-level settings. */
    static CompiledPack of(KnowledgePack pack, PackOrigin origin, String source) {
        return of(pack, origin, source, Map.of());
    }

    /** Compiles {@code pack}, skipping what cannot be compiled (see {@link #problems()}). */
    static CompiledPack of(KnowledgePack pack, PackOrigin origin, String source, Map<String, Object> book) {
        List<String> problems = new ArrayList<>();
        List<LoreKey> topics = new ArrayList<>();
        for (String topic : pack.topics()) {
            LoreKey.parse(topic, false, true)
                    .ifPresentOrElse(topics::add, () -> problems.add("a topic is empty and is skipped"));
        }
        List<CompiledEntry> entries = new ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < pack.entries().size(); i++) {
            LoreEntry e = pack.entries().get(i);
            String id = entryId(e, i, ids);
            if (!e.enabled()) {
                continue;
            }
            String label = "entry " + (e.id().isBlank() ? "#" + i : "'" + e.id() + "'");
            EntryRules rules = EntryRules.of(e);
            rules.notes().forEach(note -> problems.add(label + ": " + note));
            List<LoreKey> primary = keys(e.keys(), e, label, "", problems);
            List<LoreKey> secondary = keys(e.secondaryKeys(), e, label, "secondary ", problems);
            List<LoreKey> additional = keys(rules.list("additional_keys"), e, label, "additional ", problems);
            List<LoreKey> excluded = keys(rules.list("exclude_keys"), e, label, "excluded ", problems);
            if (!e.keys().isEmpty() && primary.isEmpty() && !e.constant()) {
                problems.add(label + ": no usable key is left; only @@activate or a sticky effect can activate it");
            }
            entries.add(new CompiledEntry(
                    e, primary, secondary, e.secondaryKeys().size(), rules, additional, excluded, id));
        }
        return new CompiledPack(
                pack,
                origin,
                source,
                List.copyOf(topics),
                List.copyOf(entries),
                BookRules.of(book, problems),
                List.copyOf(problems));
    }

    private static List<LoreKey> keys(List<String> raw, LoreEntry e, String label, String kind, List<String> problems) {
        List<LoreKey> out = new ArrayList<>();
        for (String key : raw) {
            Optional<LoreKey> parsed = LoreKey.parse(key, e.caseSensitive(), e.wholeWords());
            if (parsed.isEmpty()) {
                problems.add(label + ": a " + kind + "key is empty and is skipped; remove it or give it text");
                continue;
            }
            String trimmed = key.strip();
            if (!parsed.get().isRegex()
                    && trimmed.length() > 2
                    && trimmed.startsWith("/")
                    && trimmed.lastIndexOf('/') > 0
                    && trimmed.substring(trimmed.lastIndexOf('/') + 1).matches("[a-z]*")) {
                problems.add(label + ": " + kind + "key '" + InvalidInputException.cap(key)
                        + "' is not a valid regular expression; it is matched as plain text, as SillyTavern does");
            }
            out.add(parsed.get());
        }
        return List.copyOf(out);
    }

    /**
     * Returns the entry's id; an entry without one (cards may leave it out) gets {@code entry-<hash>} of
     * its keys and content, stable across restarts and reorderings, and unique within the pack.
     */
    private static String entryId(LoreEntry e, int index, java.util.Set<String> taken) {
        String id = e.id().isBlank() ? defaultId(e) : e.id();
        if (!taken.add(id)) {
            id = id + "-" + index;
            taken.add(id);
        }
        return id;
    }

    /** Returns {@code entry-<hash>} of the entry's keys and content: the id of an entry that has none. */
    static String defaultId(LoreEntry e) {
        return "entry-" + Integer.toHexString((String.join("\u0001", e.keys()) + "\u0000" + e.content()).hashCode());
    }

    /** Returns whether nothing in the pack can be matched by keys (it activates by meaning instead). */
    boolean keyless() {
        return topics.isEmpty() && entries.stream().allMatch(e -> e.primary().isEmpty());
    }

    /** Returns the text whose embedding stands for the whole pack. */
    String profile() {
        StringBuilder text = new StringBuilder(pack.name())
                .append(". ")
                .append(pack.category())
                .append('.');
        pack.facts().stream().limit(20).forEach(f -> text.append(' ').append(f));
        pack.entries().stream()
                .filter(LoreEntry::enabled)
                .limit(20)
                .forEach(e -> text.append(' ').append(e.content()));
        return text.length() > 2000 ? text.substring(0, 2000) : text.toString();
    }
}
