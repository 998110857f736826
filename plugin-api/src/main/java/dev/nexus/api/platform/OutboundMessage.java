package dev.nexus.api.platform;

import java.util.Map;

/**
 * A reply the host wants delivered. Immutable.
 *
 * @param messageId the host's id of the reply; stable across retries, so connectors can make
 *     delivery idempotent (e.g. send it as an idempotency key)
 * @param inReplyTo the external id of the inbound message being answered
 * @param conversation the host's conversation id
 * @param personality the personality that wrote the reply
 * @param text the reply text
 * @param replyTo the address from the inbound message, unchanged
 * @param attempt 1 for the first try, then 2, 3, … on retries
 */
public record OutboundMessage(
        String messageId,
        String inReplyTo,
        String conversation,
        String personality,
        String text,
        Map<String, String> replyTo,
        int attempt) {

    /** Copies the address map. */
    public OutboundMessage {
        replyTo = replyTo == null ? Map.of() : Map.copyOf(replyTo);
    }
}
