package dev.nexus.api.platform;

import dev.nexus.api.Experimental;
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
 * @param thread the platform's group chat or thread this message belongs to (e.g. a Telegram group's
 *     chat id, a Discord channel id, a Slack thread's {@code ts}), or empty for a direct conversation.
 *     Every message with the same thread, whoever sent it, continues ONE conversation per (platform,
 *     personality, thread), across restarts; each sender still acts as their own principal. 1–150
 *     characters without control characters; {@code conversation} is ignored when a thread is given.
 *     Experimental (issue 14).
 */
public record InboundMessage(
        String platform,
        String externalId,
        String user,
        String personality,
        Optional<String> conversation,
        String text,
        Instant receivedAt,
        Map<String, String> replyTo,
        Optional<String> thread) {

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
        thread = thread == null ? Optional.empty() : thread.filter(key -> !key.isBlank());
    }

    /** A message of a direct conversation (no group chat or thread). */
    public InboundMessage(
            String platform,
            String externalId,
            String user,
            String personality,
            Optional<String> conversation,
            String text,
            Instant receivedAt,
            Map<String, String> replyTo) {
        this(platform, externalId, user, personality, conversation, text, receivedAt, replyTo, Optional.empty());
    }

    /** Returns this message as part of the group chat or thread {@code key} (see {@link #thread()}). */
    @Experimental
    public InboundMessage inThread(String key) {
        return new InboundMessage(
                platform, externalId, user, personality, conversation, text, receivedAt, replyTo, Optional.of(key));
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
