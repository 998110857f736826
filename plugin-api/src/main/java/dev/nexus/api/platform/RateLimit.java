package dev.nexus.api.platform;

import java.time.Duration;

/**
 * How many messages a connector may send in a period, e.g. 30 per second. Immutable.
 *
 * @param messages the number of messages allowed per period, at least 1
 * @param per the period, positive
 */
public record RateLimit(int messages, Duration per) {

    /** Validates the limit. */
    public RateLimit {
        if (messages < 1) {
            throw new IllegalArgumentException("rate limit messages must be >= 1, got " + messages);
        }
        if (per == null || per.isNegative() || per.isZero()) {
            throw new IllegalArgumentException("rate limit period must be positive, got " + per);
        }
    }

    /** Returns a limit of {@code messages} per second. */
    public static RateLimit perSecond(int messages) {
        return new RateLimit(messages, Duration.ofSeconds(1));
    }
}
