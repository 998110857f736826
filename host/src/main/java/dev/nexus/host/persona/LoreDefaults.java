package dev.nexus.host.persona;

import dev.nexus.api.knowledge.LoreEntry;

/**
 * The values a lore entry field takes when a persona document leaves it out; the writer omits
 * fields equal to these, so a document stays short and round-trips exactly.
 */
final class LoreDefaults {

    static final boolean SELECTIVE = false;
    static final LoreEntry.SelectiveLogic LOGIC = LoreEntry.SelectiveLogic.AND_ANY;
    static final boolean CONSTANT = false;
    static final boolean ENABLED = true;
    static final int INSERTION_ORDER = 100;
    static final int PRIORITY = 10;
    static final boolean CASE_SENSITIVE = false;
    static final boolean WHOLE_WORDS = true;
    static final boolean USE_REGEX = false;
    static final String POSITION = "before_char";

    private LoreDefaults() {}
}
