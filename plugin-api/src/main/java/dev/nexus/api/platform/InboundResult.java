package dev.nexus.api.platform;

import dev.nexus.api.Experimental;
import java.time.Duration;
import java.util.Objects;

/**
 * What the host did with an inbound message.
 *
 * <p><b>Open for new outcomes.</b> This interface is deliberately <em>not</em> sealed: a later
 * minor version of the API may add an outcome. Had it been sealed, every connector's exhaustive
 * {@code switch} would stop compiling when one is added, and a connector compiled against the older
 * API would throw {@code MatchException} at run time. Because it is not sealed, the compiler makes
 * every {@code switch} over it carry a {@code default} branch; a connector should treat an outcome
 * it does not know like {@link RetryLater}: nothing is stored, so tell the sender to try again later
 * with the same id (an HTTP connector answers 503). Only the host creates results; plugins never
 * implement this interface.
 */
public interface InboundResult {

    /**
     * The message is stored and will be answered.
     *
     * @param messageId the host's id of the stored message
     * @param duplicate true when this (platform, externalId) was already stored; nothing new happens
     */
    record Accepted(String messageId, boolean duplicate) implements InboundResult {}

    /**
     * The message was refused for good and nothing was stored: sending it again gets the same answer.
     *
     * @param reason why, fit to show the sender (e.g. "unknown personality 'x'")
     */
    record Rejected(String reason) implements InboundResult {}

    /**
     * The host cannot take the message right now (its storage is down, it is still starting) and
     * nothing was stored. The same message, with the same external id, will be taken once the host
     * recovers: a connector tells the sender to retry (an HTTP connector answers 503 with
     * {@code Retry-After}) or retries itself.
     *
     * @param after how long to wait before retrying, zero or positive
     * @param reason what is wrong, fit to show the sender (never a stack trace or a class name)
     */
    @Experimental
    record RetryLater(Duration after, String reason) implements InboundResult {

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
