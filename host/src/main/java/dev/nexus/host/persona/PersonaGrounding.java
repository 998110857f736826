package dev.nexus.host.persona;

import dev.nexus.host.llm.Grounding;
import java.util.List;

/**
 * The structured facts behind a prompt, for models that cannot read a prompt: the offline model
 * asks this for its reply, which {@link OfflineReply} composes from the personality and what was
 * recalled instead of generating text. Immutable.
 *
 * @param personality the personality answering, with the trait values used for this turn
 * @param user the user's name or id ({@code {{user}}})
 * @param firstTurn true when the personality has not yet replied in this conversation
 * @param memories recalled memory texts, best first
 * @param knowledge activated knowledge texts, best first
 * @param greeted true when the conversation opened with the personality's greeting, already shown to the user
 */
public record PersonaGrounding(
        Personality personality,
        String user,
        boolean firstTurn,
        List<String> memories,
        List<String> knowledge,
        boolean greeted)
        implements Grounding {

    /** A grounding for a conversation that did not open with a stored greeting. */
    public PersonaGrounding(
            Personality personality, String user, boolean firstTurn, List<String> memories, List<String> knowledge) {
        this(personality, user, firstTurn, memories, knowledge, false);
    }

    /** Validates and copies. */
    public PersonaGrounding {
        if (personality == null) {
            throw new IllegalArgumentException("grounding needs a personality");
        }
        user = user == null || user.isBlank() ? "you" : user;
        memories = memories == null ? List.of() : List.copyOf(memories);
        knowledge = knowledge == null ? List.of() : List.copyOf(knowledge);
    }

    @Override
    public String offlineReply(String message) {
        return OfflineReply.compose(this, message);
    }
}
