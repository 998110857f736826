package dev.nexus.api.platform;

import dev.nexus.api.Experimental;
import java.time.Duration;
import java.util.Objects;

/**
 * What the host did with an {@link InboundReaction}.
 *
 * <p><b>Open for new outcomes</b>, like {@link InboundResult} and for the same reason: not sealed,
 * so every {@code switch} over it needs a {@code default} branch, which should treat an unknown
 * outcome like {@link RetryLater} (nothing recorded; the sender may retry with the same id).
 * Only the host creates results; plugins never implement this interface.
 */
@Experimental
public interface ReactionResult {

    /**
     * The reaction is recorded as feedback on the reply.
     *
     * @param feedbackId the host's id of the recorded feedback
     * @param duplicate true when this (platform, externalId) was already recorded; nothing new happened
     */
    @Experimental
    record Accepted(String feedbackId, boolean duplicate) implements ReactionResult {}

    /**
     * The reaction was refused for good and nothing was recorded.
     *
     * @param reason why, fit to show the sender (e.g. "unknown critique 'too purple'")
     */
    @Experimental
    record Rejected(String reason) implements ReactionResult {}

    /**
     * The host cannot record the reaction right now (storage down, still starting) and nothing was
     * recorded; the same reaction, with the same external id, will be taken once the host recovers.
     *
     * @param after how long to wait before retrying, zero or positive
     * @param reason what is wrong, fit to show the sender
     */
    @Experimental
    record RetryLater(Duration after, String reason) implements ReactionResult {

        /** Validates. */
        public RetryLater {
            Objects.requireNonNull(after, "after");
            Objects.requireNonNull(reason, "reason");
            if (after.isNegative()) {
                throw new IllegalArgumentException("after must be zero or positive, got " + after);
            }
        }
    }
}
