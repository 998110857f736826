package dev.nexus.host.memory;

import java.time.Instant;

/**
 * How a user and a personality get on. Immutable.
 *
 * @param user the user id
 * @param personality the personality id
 * @param interactionCount turns so far
 * @param sentiment a running average of the user's message sentiment, −1 to 1
 * @param firstInteraction when they first talked
 * @param lastInteraction when they last talked
 */
public record Relationship(
        String user,
        String personality,
        long interactionCount,
        double sentiment,
        Instant firstInteraction,
        Instant lastInteraction) {}
