package dev.nexus.host.conversation;

import java.util.List;

/**
 * A finished turn: the stored user message and the stored reply. Immutable.
 *
 * @param userMessage the person's message
 * @param reply the personality's reply, with version, traits, model and metadata
 * @param recalledMemories ids of the memories put into the prompt
 * @param recalledKnowledge ids of the knowledge put into the prompt
 */
public record TurnResult(
        StoredMessage userMessage, StoredMessage reply, List<String> recalledMemories, List<String> recalledKnowledge) {

    /** Copies the lists. */
    public TurnResult {
        recalledMemories = List.copyOf(recalledMemories);
        recalledKnowledge = List.copyOf(recalledKnowledge);
    }
}
