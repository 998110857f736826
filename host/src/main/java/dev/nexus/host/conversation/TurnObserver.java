package dev.nexus.host.conversation;

/**
 * Work done after a turn has been stored: fact extraction, relationship updates, feedback
 * bookkeeping. Called on a background thread after the reply is persisted; an observer that throws
 * is logged and does not affect the turn or other observers.
 */
@FunctionalInterface
public interface TurnObserver {

    /** Reacts to one completed turn. */
    void afterTurn(CompletedTurn turn);
}
