package dev.nexus.host.conversation;

import java.util.List;

/**
 * Folds older messages into a running summary, so a long conversation keeps its gist after its
 * messages leave the prompt window. Implementations are thread-safe.
 */
interface Summarizer {

    /**
     * Returns the new summary.
     *
     * @param previous the summary so far (empty at first)
     * @param messages the messages to fold in, oldest first
     * @param maxTokens the estimated size the summary should stay under
     */
    String summarize(String previous, List<StoredMessage> messages, int maxTokens);
}
