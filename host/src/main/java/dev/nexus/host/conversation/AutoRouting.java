package dev.nexus.host.conversation;

import java.util.List;
import java.util.Optional;

/**
 * Picks the personality for a chat that asks for {@code personality: "auto"}. The conversation owns
 * this port; the composition root backs it with the personality router. Thread-safe.
 */
@FunctionalInterface
public interface AutoRouting {

    /** The word a chat request uses to ask for routing instead of naming a personality. */
    String AUTO = "auto";

    /**
     * A routing decision. Immutable.
     *
     * @param personality the chosen personality id
     * @param score how well it fits, in [0, 1]
     * @param reasons why, in words
     */
    record Routed(String personality, double score, List<String> reasons) {
        /** Copies the reasons. */
        public Routed {
            reasons = List.copyOf(reasons);
        }
    }

    /** Returns the best personality for {@code message}, or empty when there is none to choose. */
    Optional<Routed> pick(String message);

    /** Routing that never picks (chats asking for "auto" are then refused). */
    static AutoRouting none() {
        return message -> Optional.empty();
    }
}
