package dev.nexus.api.platform;

import dev.nexus.api.Experimental;

/** What the host did with an {@link InboundReaction}. */
@Experimental
public sealed interface ReactionResult {

    /**
     * The reaction is recorded as feedback on the reply.
     *
     * @param feedbackId the host's id of the recorded feedback
     * @param duplicate true when this (platform, externalId) was already recorded; nothing new happened
     */
    @Experimental
    record Accepted(String feedbackId, boolean duplicate) implements ReactionResult {}

    /**
     * The reaction was refused and nothing was recorded.
     *
     * @param reason why, fit to show the sender (e.g. "unknown critique 'too purple'")
     */
    @Experimental
    record Rejected(String reason) implements ReactionResult {}
}
