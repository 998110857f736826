package dev.nexus.host.llm;

import dev.nexus.host.persona.Personality;
import java.util.List;

/**
 * The structured facts behind a prompt, for models that cannot read a prompt: the offline model
 * composes its reply from these instead of generating text. Remote models ignore it (the same
 * content is already in their prompt). Immutable.
 *
 * @param personality the personality answering, with the trait values used for this turn
 * @param user the user's name or id ({@code {{user}}})
 * @param firstTurn true when the personality has not yet replied in this conversation
 * @param memories recalled memory texts, best first
 * @param knowledge activated knowledge texts, best first
 * @param greeted true when the conversation opened with the personality's greeting, already shown to the user
 */
public record Grounding(Personality personality, String user, boolean firstTurn, List<String> memories, List<String> knowledge,
        boolean greeted) {

    /** A grounding for a conversation that did not open with a stored greeting. */
    public Grounding(Personality personality, String user, boolean firstTurn, List<String> memories, List<String> knowledge) {
        this(personality, user, firstTurn, memories, knowledge, false);
    }

    /** Validates and copies. */
    public Grounding {
        if (personality == null) {
            throw new IllegalArgumentException("grounding needs a personality");
        }
        user = user == null || user.isBlank() ? "you" : user;
        memories = memories == null ? List.of() : List.copyOf(memories);
        knowledge = knowledge == null ? List.of() : List.copyOf(knowledge);
    }
}
