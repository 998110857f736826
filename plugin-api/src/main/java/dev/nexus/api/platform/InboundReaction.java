package dev.nexus.api.platform;

import dev.nexus.api.Experimental;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A person's reaction to a reply the host delivered through a platform (a thumbs up, a star rating,
 * a "too long"), which the host records as feedback on that reply. Immutable.
 *
 * <p>The record only checks that required values are present; whether the rating is in range, the
 * critiques are in the vocabulary and the reply exists is the host's call, answered with
 * {@link ReactionResult.Rejected} (see {@link InboundSink#react}).
 *
 * @param platform the connector's platform name
 * @param externalId the platform's id for this reaction; the host records each (platform, externalId)
 *     once, so a redelivered reaction is recognised as a duplicate
 * @param user the reacting person's id on that platform
 * @param reply the reply reacted to: the host's reply id as sent in {@link OutboundMessage#messageId()},
 *     or the platform's id of the delivered message as returned in {@link DeliveryResult.Delivered#externalId()}
 * @param thumbs a thumbs up or down, if given; not together with {@code rating}
 * @param rating a rating of 1 (worst) to 5 (best) stars, if given; not together with {@code thumbs}
 * @param critiques critique terms from the host's documented vocabulary (e.g. {@code "too long"},
 *     {@code "more-humour"}; case, spaces and underscores are forgiven), possibly empty
 * @param receivedAt when the platform received the reaction
 */
@Experimental
public record InboundReaction(
        String platform,
        String externalId,
        String user,
        String reply,
        Optional<Thumbs> thumbs,
        OptionalInt rating,
        List<String> critiques,
        Instant receivedAt) {

    /** A thumbs reaction. */
    @Experimental
    public enum Thumbs {
        /** The reply was good. */
        UP,
        /** The reply was bad. */
        DOWN
    }

    /** Validates that required values are present and copies the critiques. */
    public InboundReaction {
        requireText(platform, "platform");
        requireText(externalId, "externalId");
        requireText(user, "user");
        requireText(reply, "reply");
        if (thumbs == null) {
            throw new IllegalArgumentException("thumbs must be an Optional, not null");
        }
        if (rating == null) {
            throw new IllegalArgumentException("rating must be an OptionalInt, not null");
        }
        if (receivedAt == null) {
            throw new IllegalArgumentException("receivedAt is required");
        }
        if (critiques == null || critiques.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("critiques must be a list of terms without nulls (empty when none)");
        }
        critiques = List.copyOf(critiques);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
