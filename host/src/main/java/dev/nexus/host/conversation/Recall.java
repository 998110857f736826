package dev.nexus.host.conversation;

/**
 * What the conversation orchestrator asks of memory and knowledge before composing a prompt.
 * Implemented by the memory and knowledge features; must be thread-safe and must not throw for
 * ordinary input (return an empty {@link Recollection} instead).
 */
@FunctionalInterface
public interface Recall {

    /** Returns what is worth remembering for this turn, within the request's token budget. */
    Recollection recall(RecallRequest request);

    /** Returns a recall that never finds anything. */
    static Recall none() {
        return request -> Recollection.empty();
    }
}
