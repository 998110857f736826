package dev.nexus.host.conversation;

import java.util.List;

/**
 * What memory and knowledge found for a turn, best first within each list. Immutable.
 *
 * @param memories recalled episodes and facts
 * @param knowledge activated knowledge: pack facts and lore entries
 */
public record Recollection(List<RecalledItem> memories, List<RecalledItem> knowledge) {

    private static final Recollection EMPTY = new Recollection(List.of(), List.of());

    /** Copies the lists. */
    public Recollection {
        memories = List.copyOf(memories);
        knowledge = List.copyOf(knowledge);
    }

    /** Returns a recollection with nothing in it. */
    public static Recollection empty() {
        return EMPTY;
    }
}
