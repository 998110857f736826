package dev.nexus.host.evolution;

import java.util.Optional;

/**
 * Finds a stored reply that feedback may attach to. The conversation store implements it (branch
 * {@code chat}); until that is wired, tests use a fake. Thread-safe.
 */
@FunctionalInterface
public interface ReplyLookup {

    /** Returns the reply with message id {@code messageId}, or empty when there is none (or it is not a reply). */
    Optional<Reply> reply(String messageId);
}
