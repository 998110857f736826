package dev.nexus.host.knowledge;

import dev.nexus.api.knowledge.KnowledgePack;
import dev.nexus.api.knowledge.LoreEntry;
import dev.nexus.host.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The knowledge pack file format (YAML or JSON, camelCase keys), also the body of
 * {@code POST /v1/knowledge/packs} and the stored form of imported lorebooks. Every field but
 * {@code id} and {@code name} is optional; see {@code docs/memory.md}. Immutable.
 *
 * @param id pack id: lower-case letters, digits and dashes
 * @param name human-readable name
 * @param version the pack's version (default 1.0.0)
 * @param category broad category (default general)
 * @param topics whole-word, case-insensitive keywords that make the whole pack relevant
 * @param facts standalone statements
 * @param entries keyword-activated lore entries
 * @param book World Info settings of the whole book ({@code scan_depth}, {@code token_budget},
 *     {@code recursive_scanning}, {@code use_group_scoring}; docs/world-info.md), optional
 */
record PackDocument(
        String id,
        String name,
        String version,
        String category,
        List<String> topics,
        List<String> facts,
        List<EntryDocument> entries,
        Map<String, Object> book) {

    /** Without book settings. */
    PackDocument(
            String id,
            String name,
            String version,
            String category,
            List<String> topics,
            List<String> facts,
            List<EntryDocument> entries) {
        this(id, name, version, category, topics, facts, entries, null);
    }

    /** Returns the book settings, empty when there are none. */
    Map<String, Object> bookSettings() {
        return book == null ? Map.of() : book;
    }

    static final int MAX_ENTRIES = 5_000;
    /** The longest fact; lore entries have the one lore limit, {@link dev.nexus.host.persona.LoreCheck#MAX_CONTENT_CHARS}. */
    static final int MAX_TEXT = 20_000;

    /**
     * One lore entry in a pack file.
     *
     * @param id entry id (default: its position)
     * @param name label (default: the id)
     * @param keys primary keys: plain text, or {@code /regex/flags}
     * @param secondaryKeys secondary keys
     * @param logic {@code and-any} (default), {@code not-all}, {@code not-any}, {@code and-all}
     * @param selective whether secondary keys apply (default: true when there are any)
     * @param content the text inserted when active
     * @param constant always active while its pack is active (default false)
     * @param enabled default true
     * @param order insertion order, lower first (default 100)
     * @param priority kept first when the budget is short (default 10)
     * @param caseSensitive default false
     * @param wholeWords default true
     * @param regex treat every key as a regular expression (default false)
     * @param position where the text goes (default before_char)
     * @param extensions anything else, kept untouched
     */
    record EntryDocument(
            String id,
            String name,
            List<String> keys,
            List<String> secondaryKeys,
            String logic,
            Boolean selective,
            String content,
            Boolean constant,
            Boolean enabled,
            Integer order,
            Integer priority,
            Boolean caseSensitive,
            Boolean wholeWords,
            Boolean regex,
            String position,
            Map<String, Object> extensions) {}

    /**
     * Returns the validated pack.
     *
     * @throws InvalidInputException naming the entry and field that is wrong
     */
    KnowledgePack toPack() {
        return toPack(true);
    }

    /**
     * Returns the pack like {@link #toPack()}; with {@code strictKeys} false an empty or invalid key
     * is left for the compiled pack to skip and report (lorebooks made elsewhere, issue 12), instead
     * of refusing the whole pack.
     */
    KnowledgePack toPack(boolean strictKeys) {
        List<EntryDocument> docs = entries == null ? List.of() : entries;
        if (docs.size() > MAX_ENTRIES) {
            throw new InvalidInputException("knowledge pack '" + InvalidInputException.cap(id) + "' has " + docs.size()
                    + " entries, at most " + MAX_ENTRIES + " are allowed; split it into several packs");
        }
        List<String> factList = facts == null ? List.of() : facts;
        for (int i = 0; i < factList.size(); i++) {
            if (factList.get(i) == null
                    || factList.get(i).isBlank()
                    || factList.get(i).length() > MAX_TEXT) {
                throw new InvalidInputException("knowledge pack '" + InvalidInputException.cap(id) + "' facts[" + i
                        + "] must be 1-" + MAX_TEXT + " characters");
            }
        }
        List<LoreEntry> lore = new ArrayList<>(docs.size());
        for (int i = 0; i < docs.size(); i++) {
            lore.add(entry(docs.get(i), i, strictKeys));
        }
        try {
            return new KnowledgePack(id, name, version, category, topics, factList, lore);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
    }

    private LoreEntry entry(EntryDocument doc, int index, boolean strictKeys) {
        String where = "knowledge pack '" + InvalidInputException.cap(id) + "' entries[" + index + "]";
        if (doc == null) {
            throw new InvalidInputException(where + " is null; remove it or give it keys and content");
        }
        int max = dev.nexus.host.persona.LoreCheck.MAX_CONTENT_CHARS;
        boolean empty = doc.content() == null || doc.content().isBlank();
        if (empty && strictKeys || doc.content() != null && doc.content().length() > max) {
            throw new InvalidInputException(where + " content must be 1-" + max + " characters (the lore entry limit)");
        }
        List<String> keys = doc.keys() == null ? List.of() : doc.keys();
        List<String> secondary = doc.secondaryKeys() == null ? List.of() : doc.secondaryKeys();
        boolean caseSensitive = Boolean.TRUE.equals(doc.caseSensitive());
        boolean wholeWords = doc.wholeWords() == null || doc.wholeWords();
        boolean regex = Boolean.TRUE.equals(doc.regex());
        for (String key : strictKeys ? concat(keys, secondary) : List.<String>of()) {
            try {
                LoreKey.compile(key, regex, caseSensitive, wholeWords);
            } catch (InvalidInputException e) {
                throw new InvalidInputException(where + ": " + e.getMessage());
            }
            // The native format refuses what looks like a regex but is none; a lorebook made elsewhere gets
            // SillyTavern's reading (plain text) instead.
            String trimmed = key.strip();
            if (trimmed.length() > 2
                    && trimmed.startsWith("/")
                    && trimmed.lastIndexOf('/') > 0
                    && trimmed.substring(trimmed.lastIndexOf('/') + 1).matches("[a-z]*")
                    && LoreKey.regex(trimmed).isEmpty()) {
                throw new InvalidInputException(where + ": lore key '" + InvalidInputException.cap(key)
                        + "' is not a valid regular expression (a key written /pattern/flags is one: flags g, i, m, s, u, y,"
                        + " no unescaped '/' inside); fix it");
            }
        }
        String entryId = doc.id() == null || doc.id().isBlank() ? String.valueOf(index) : doc.id();
        try {
            return new LoreEntry(
                    entryId,
                    doc.name() == null ? entryId : doc.name(),
                    keys,
                    secondary,
                    doc.selective() == null ? !secondary.isEmpty() : doc.selective(),
                    logic(doc.logic(), where),
                    doc.content(),
                    Boolean.TRUE.equals(doc.constant()),
                    doc.enabled() == null || doc.enabled(),
                    doc.order() == null ? 100 : doc.order(),
                    doc.priority() == null ? 10 : doc.priority(),
                    caseSensitive,
                    wholeWords,
                    regex,
                    doc.position(),
                    doc.extensions());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(where + ": " + e.getMessage());
        }
    }

    private static LoreEntry.SelectiveLogic logic(String logic, String where) {
        if (logic == null || logic.isBlank()) {
            return LoreEntry.SelectiveLogic.AND_ANY;
        }
        String name = logic.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return LoreEntry.SelectiveLogic.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(where + " logic must be one of and-any, not-all, not-any, and-all, got '"
                    + InvalidInputException.cap(logic) + "'");
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Returns the document form of {@code pack} with book settings. */
    static PackDocument of(KnowledgePack pack, Map<String, Object> book) {
        PackDocument plain = of(pack);
        return new PackDocument(
                plain.id(),
                plain.name(),
                plain.version(),
                plain.category(),
                plain.topics(),
                plain.facts(),
                plain.entries(),
                book.isEmpty() ? null : book);
    }

    /** Returns the document form of {@code pack} (what the API shows and what is stored). */
    static PackDocument of(KnowledgePack pack) {
        List<EntryDocument> entries = pack.entries().stream()
                .map(e -> new EntryDocument(
                        e.id(),
                        e.name(),
                        e.keys(),
                        e.secondaryKeys(),
                        e.logic().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                        e.selective(),
                        e.content(),
                        e.constant(),
                        e.enabled(),
                        e.insertionOrder(),
                        e.priority(),
                        e.caseSensitive(),
                        e.wholeWords(),
                        e.useRegex(),
                        e.position(),
                        e.extensions()))
                .toList();
        return new PackDocument(
                pack.id(), pack.name(), pack.version(), pack.category(), pack.topics(), pack.facts(), entries);
    }
}
