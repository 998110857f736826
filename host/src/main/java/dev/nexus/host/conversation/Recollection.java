package dev.nexus.host.conversation;

import java.util.List;

/**
 * What memory and knowledge found for a turn, best first within each list. Immutable.
 *
 * @param memories recalled episodes and facts
 * @param knowledge activated knowledge: pack facts and lore entries
 * @param notes how knowledge decided (World Info: seed, fired and skipped entries), for the reply's
 *     metadata; empty when there is nothing to explain
 */
public record Recollection(
        List<RecalledItem> memories, List<RecalledItem> knowledge, java.util.Map<String, Object> notes) {

    private static final Recollection EMPTY = new Recollection(List.of(), List.of());

    /** Copies the lists. */
    public Recollection {
        memories = List.copyOf(memories);
        knowledge = List.copyOf(knowledge);
        notes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(notes));
    }

    /** A recollection with nothing to explain. */
    public Recollection(List<RecalledItem> memories, List<RecalledItem> knowledge) {
        this(memories, knowledge, java.util.Map.of());
    }

    /** Returns a recollection with nothing in it. */
    public static Recollection empty() {
        return EMPTY;
    }
}
