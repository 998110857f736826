package dev.nexus.api.platform;

import dev.nexus.api.Experimental;

/**
 * The host's port for inbound messages. The host stores the message before it returns, so an
 * {@link InboundResult.Accepted} result means the message will be answered even if the host
 * restarts; the reply is produced asynchronously and delivered through the connector's
 * {@link PlatformConnector#send}. Thread-safe; never throws: bad input is
 * {@link InboundResult.Rejected} (do not retry), and a host that cannot store right now (its
 * storage is down, it is still starting) answers {@link InboundResult.RetryLater} (retry the same
 * message later). Switch over results with a {@code default} branch: see {@link InboundResult}.
 *
 * <p>A sink that wraps another (a host's forwarding proxy, a test double) must forward
 * {@link #react} as well as {@link #deliver}: a lambda implements only {@code deliver}, and its
 * {@code react} would refuse every reaction.
 */
public interface InboundSink {

    /** Hands one inbound message to the host. */
    InboundResult deliver(InboundMessage message);

    /**
     * Hands a person's reaction to a delivered reply to the host, which records it as feedback on
     * that reply (the same feedback as {@code POST /v1/feedback}), once per (platform, externalId).
     * The host records it before it returns. Never throws for bad input: an unknown reply, a rating
     * outside 1–5, thumbs together with a rating, an unknown critique or a reaction with no signal
     * at all is {@link ReactionResult.Rejected} with a reason, and nothing is recorded. A host that
     * cannot record right now answers {@link ReactionResult.RetryLater}.
     *
     * <p>The default refuses every reaction, for hosts that predate reactions.
     *
     * @param reaction the reaction
     * @return what the host did with it
     */
    @Experimental
    default ReactionResult react(InboundReaction reaction) {
        return new ReactionResult.Rejected("this host does not take reactions");
    }
}
