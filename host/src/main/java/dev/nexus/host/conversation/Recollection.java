package dev.nexus.host.conversation;

import java.util.List;

/**
 * What memory and knowledge found for a turn, best first within each list. Immutable.
 *
 * @param memories recalled episodes and facts
 * @param knowledge activated knowledge: pack facts and lore entries
 * @param notes how knowledge decided (World Info: seed, fired and skipped entries), for the reply's
 *     metadata; empty when there is nothing to explain
 * @param recordUse what recalling these items writes (the memories' retrieval counts), handed to the
 *     conversation so that it is written in the reply's transaction instead of a commit of its own; the
 *     conversation runs it exactly once, also when the turn fails
 */
public record Recollection(
        List<RecalledItem> memories,
        List<RecalledItem> knowledge,
        java.util.Map<String, Object> notes,
        Runnable recordUse) {

    private static final Recollection EMPTY = new Recollection(List.of(), List.of());

    /** Copies the lists. */
    public Recollection {
        memories = List.copyOf(memories);
        knowledge = List.copyOf(knowledge);
        notes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(notes));
    }

    /** A recollection that writes nothing. */
    public Recollection(
            List<RecalledItem> memories, List<RecalledItem> knowledge, java.util.Map<String, Object> notes) {
        this(memories, knowledge, notes, () -> {});
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
