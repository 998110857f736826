package dev.nexus.api.knowledge;

import java.util.List;
import java.util.Map;

/**
 * A keyword-activated piece of text, as in Character Card lorebooks and SillyTavern World Info.
 * Immutable.
 *
 * @param id the entry's id within its book or pack
 * @param name a label, not put into prompts
 * @param keys primary keys; any match activates the entry (plain text, or {@code /regex/flags} when
 *     {@code useRegex} is true)
 * @param secondaryKeys secondary keys, used only when {@code selective} is true
 * @param selective whether the secondary keys must also satisfy {@code logic}
 * @param logic how the secondary keys combine with the primary match
 * @param content the text inserted when the entry is active
 * @param constant always active (within the budget)
 * @param enabled disabled entries never activate
 * @param insertionOrder lower values are inserted earlier
 * @param priority when the budget is exceeded, lower priority is dropped first
 * @param caseSensitive match keys case-sensitively
 * @param wholeWords match keys only at word boundaries
 * @param useRegex treat keys as regular expressions
 * @param position where the text goes relative to the character definition, e.g. {@code before_char}
 * @param extensions fields this API does not model, kept and round-tripped untouched (JDK maps,
 *     lists, strings, numbers, booleans)
 */
public record LoreEntry(
        String id,
        String name,
        List<String> keys,
        List<String> secondaryKeys,
        boolean selective,
        SelectiveLogic logic,
        String content,
        boolean constant,
        boolean enabled,
        int insertionOrder,
        int priority,
        boolean caseSensitive,
        boolean wholeWords,
        boolean useRegex,
        String position,
        Map<String, Object> extensions) {

    /** How secondary keys combine with a primary-key match (SillyTavern's {@code selectiveLogic}). */
    public enum SelectiveLogic {
        /** At least one secondary key must match. */
        AND_ANY,
        /** Not all secondary keys may match. */
        NOT_ALL,
        /** No secondary key may match. */
        NOT_ANY,
        /** Every secondary key must match. */
        AND_ALL
    }

    /** Validates the entry and copies collections. */
    public LoreEntry {
        keys = keys == null ? List.of() : List.copyOf(keys);
        secondaryKeys = secondaryKeys == null ? List.of() : List.copyOf(secondaryKeys);
        logic = logic == null ? SelectiveLogic.AND_ANY : logic;
        content = content == null ? "" : content;
        id = id == null ? "" : id;
        name = name == null ? "" : name;
        position = position == null || position.isBlank() ? "before_char" : position;
        extensions = extensions == null
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extensions));
        if (!constant && keys.isEmpty() && enabled) {
            throw new IllegalArgumentException("lore entry '" + (name.isEmpty() ? id : name)
                    + "' has no keys and is not constant, so it can never activate; add keys or mark it constant");
        }
    }

    /** Returns an enabled, non-selective entry with plain, case-insensitive keys. */
    public static LoreEntry simple(String id, List<String> keys, String content) {
        return new LoreEntry(
                id,
                id,
                keys,
                List.of(),
                false,
                SelectiveLogic.AND_ANY,
                content,
                false,
                true,
                100,
                10,
                false,
                true,
                false,
                "before_char",
                Map.of());
    }
}
