package dev.nexus.api.platform;

/** What the host did with an inbound message. */
public sealed interface InboundResult {

    /**
     * The message is stored and will be answered.
     *
     * @param messageId the host's id of the stored message
     * @param duplicate true when this (platform, externalId) was already stored; nothing new happens
     */
    record Accepted(String messageId, boolean duplicate) implements InboundResult {}

    /**
     * The message was refused and nothing was stored.
     *
     * @param reason why, fit to show the sender (e.g. "unknown personality 'x'")
     */
    record Rejected(String reason) implements InboundResult {}
}
