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
 * @param recentTurns the texts of the most recent turns, oldest first
 * @param knowledgePacks the knowledge pack ids the personality references
 * @param tokenBudget the estimated tokens memory and knowledge may use together
 * @param kind the generation type, as World Info triggers name them: {@code normal} (a new message),
 *     {@code regenerate} (another reply to the same message), {@code continue} (going on after a
 *     tool call was decided)
 * @param chatLength the messages in the conversation when the reply is written, the new one included
 *     (the clock of World Info's timed effects)
 * @param assistantMessages the replies in the conversation so far
 * @param attempt 0 for the first reply to this message, n for its n-th regeneration (part of the seed)
 * @param history the texts of the conversation window, oldest first (what World Info's scan depth reaches)
 */
public record RecallRequest(
        PersonalityId personality,
        String user,
        String conversation,
        String message,
        List<String> recentTurns,
        List<String> knowledgePacks,
        int tokenBudget,
        String kind,
        long chatLength,
        long assistantMessages,
        int attempt,
        List<String> history) {

    /** Copies the lists. */
    public RecallRequest {
        recentTurns = List.copyOf(recentTurns);
        knowledgePacks = List.copyOf(knowledgePacks);
        history = List.copyOf(history);
        kind = kind == null || kind.isBlank() ? "normal" : kind;
    }

    /** A normal turn whose history is its recent turns. */
    public RecallRequest(
            PersonalityId personality,
            String user,
            String conversation,
            String message,
            List<String> recentTurns,
            List<String> knowledgePacks,
            int tokenBudget) {
        this(
                personality,
                user,
                conversation,
                message,
                recentTurns,
                knowledgePacks,
                tokenBudget,
                "normal",
                recentTurns.size() + 1L,
                recentTurns.size() / 2,
                0,
                recentTurns);
    }
}
