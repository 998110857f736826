package dev.nexus.host.conversation;

import dev.nexus.host.persona.PersonalityId;
import java.util.List;

/**
 * The question a turn asks of memory and knowledge. Immutable.
 *
 * @param personality the personality answering
 * @param user the user's id
 * @param conversation the conversation id
 * @param message the new user message
 * @param recentTurns the texts of the most recent turns, oldest first (for lore scan depth)
 * @param knowledgePacks the knowledge pack ids the personality references
 * @param tokenBudget the estimated tokens memory and knowledge may use together
 */
public record RecallRequest(
        PersonalityId personality,
        String user,
        String conversation,
        String message,
        List<String> recentTurns,
        List<String> knowledgePacks,
        int tokenBudget) {

    /** Copies the lists. */
    public RecallRequest {
        recentTurns = List.copyOf(recentTurns);
        knowledgePacks = List.copyOf(knowledgePacks);
    }
}
