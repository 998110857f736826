package dev.nexus.host.memory;

import java.util.Locale;

/** How a fact was learnt. Written in lower case in JSON. */
public enum FactSource {
    /** Extracted from what the user said in a conversation. */
    CONVERSATION,
    /** Stated directly through the API (or a profile edit). */
    EXPLICIT,
    /** Concluded by the host, e.g. a consolidation summary of old episodes. */
    INFERRED;

    /** Returns the JSON name. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static FactSource parse(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
