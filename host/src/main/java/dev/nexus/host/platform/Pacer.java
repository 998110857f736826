package dev.nexus.host.platform;

import dev.nexus.api.platform.RateLimit;

/**
 * A token bucket for one connector's {@link RateLimit}: up to {@code messages} sends at once, refilled
 * at {@code messages} per period. Time is passed in (monotonic nanoseconds), so it is testable without
 * waiting. Confined to the platform's courier thread.
 */
final class Pacer {

    private final double capacity;
    private final double perNano;
    private double tokens;
    private long last;

    Pacer(RateLimit limit, long nowNanos) {
        this.capacity = limit.messages();
        this.perNano = limit.messages() / (double) limit.per().toNanos();
        this.tokens = capacity;
        this.last = nowNanos;
    }

    /** Takes one send; returns how many nanoseconds the caller must wait before sending (0 when none). */
    long reserve(long nowNanos) {
        tokens = Math.min(capacity, tokens + (nowNanos - last) * perNano);
        last = nowNanos;
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perNano);
    }
}
