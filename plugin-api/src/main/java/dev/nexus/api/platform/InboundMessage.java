package dev.nexus.api.platform;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A message a person sent through a platform. Immutable.
 *
 * @param platform the connector's platform name
 * @param externalId the platform's id for this message; the host stores each (platform, externalId)
 *     once, so a redelivered message is recognised as a duplicate
 * @param user the sender's id on that platform
 * @param personality the personality id the message is addressed to
 * @param conversation the conversation to continue, or empty to let the host pick per (platform, user)
 * @param text the message text, not blank
 * @param receivedAt when the platform received it
 * @param replyTo where a reply must go, in the connector's own terms (e.g. a callback URL or chat id);
 *     handed back unchanged in {@link OutboundMessage#replyTo()}
 */
public record InboundMessage(
        String platform,
        String externalId,
        String user,
        String personality,
        Optional<String> conversation,
        String text,
        Instant receivedAt,
        Map<String, String> replyTo) {

    /** Validates required fields and copies the map. */
    public InboundMessage {
        requireText(platform, "platform");
        requireText(externalId, "externalId");
        requireText(user, "user");
        requireText(personality, "personality");
        requireText(text, "text");
        if (conversation == null) {
            throw new IllegalArgumentException("conversation must be an Optional, not null");
        }
        if (receivedAt == null) {
            throw new IllegalArgumentException("receivedAt is required");
        }
        replyTo = replyTo == null ? Map.of() : Map.copyOf(replyTo);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
