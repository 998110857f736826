package dev.nexus.host.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.nexus.host.TooManyRequestsException;
import dev.nexus.host.auth.Caller;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Per-key limits, kept in this host's memory: a token bucket of requests and a count of open event
 * streams for every API key (by key id). Requests without a key (public routes) are not limited
 * here. Thread-safe.
 *
 * <p>Buckets of keys idle for longer than it takes to refill are forgotten (a fresh bucket is full, so
 * forgetting one never takes anything away from its key); open streams are counted exactly and an
 * entry goes away when its last stream closes.
 */
final class RequestLimits {

    private static final long NANOS_PER_MINUTE = TimeUnit.MINUTES.toNanos(1);

    private final LimitsConfig config;
    private final Clock clock;
    private final Cache<String, Bucket> buckets;
    private final ConcurrentMap<String, Integer> streams = new ConcurrentHashMap<>();

    RequestLimits(LimitsConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        // A bucket refills completely within burst/rate minutes; at most 100 minutes at the strictest settings allowed.
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(Duration.ofHours(2))
                .maximumSize(100_000)
                .build();
    }

    /** No limits at all. */
    static RequestLimits off() {
        return new RequestLimits(new LimitsConfig(false, null, null, null), Clock.systemUTC());
    }

    /**
     * Takes one request from the caller's bucket.
     *
     * @throws TooManyRequestsException (429) when the bucket is empty; says when the next request is allowed
     */
    void admit(Caller caller) {
        if (!config.enabled() || caller.isAnonymous()) {
            return;
        }
        LimitsConfig.ScopeLimits limits = config.of(caller.scopes());
        long now = nanos(clock.instant());
        long waitNanos = buckets.get(caller.keyId(), id -> new Bucket(limits.burst(), now))
                .take(now, limits.burst(), limits.requestsPerMinute());
        if (waitNanos > 0) {
            long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
            throw new TooManyRequestsException(
                    "this key sent more than its " + limits.requestsPerMinute()
                            + " requests per minute (bursts of " + limits.burst() + "); retry in " + seconds
                            + " s, or ask an admin to raise limits." + scopeName(caller) + ".requests-per-minute",
                    seconds);
        }
    }

    /**
     * Takes one of the caller's concurrent streams; {@link #closeStream} gives it back.
     *
     * @throws TooManyRequestsException (429) when the caller holds as many open streams as it may
     */
    void openStream(Caller caller) {
        if (!config.enabled() || caller.isAnonymous()) {
            return;
        }
        int allowed = config.of(caller.scopes()).streams();
        boolean[] refused = {false};
        streams.compute(caller.keyId(), (id, open) -> {
            int count = open == null ? 0 : open;
            if (count >= allowed) {
                refused[0] = true;
                return open;
            }
            return count + 1;
        });
        if (refused[0]) {
            throw new TooManyRequestsException(
                    "this key already holds " + allowed + " open event streams, as many as " + "limits."
                            + scopeName(caller)
                            + ".streams allows; close one (or wait for a reply to finish) and retry",
                    1);
        }
    }

    /** Gives back a stream taken by {@link #openStream}. */
    void closeStream(Caller caller) {
        if (!config.enabled() || caller.isAnonymous()) {
            return;
        }
        streams.computeIfPresent(caller.keyId(), (id, open) -> open <= 1 ? null : open - 1);
    }

    /** Returns the number of streams {@code keyId} holds open, for tests. */
    int openStreams(String keyId) {
        return streams.getOrDefault(keyId, 0);
    }

    private static String scopeName(Caller caller) {
        return caller.admin()
                ? "admin"
                : caller.scopes().stream()
                        .map(s -> s.label())
                        .sorted()
                        .findFirst()
                        .orElse("user");
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    /** A token bucket. Thread-safe (synchronized: one key's requests are few at a time). */
    private static final class Bucket {

        private double tokens;
        private long updated;

        Bucket(int burst, long now) {
            this.tokens = burst;
            this.updated = now;
        }

        /** Takes a token and returns 0, or returns how many nanoseconds until one is available. */
        synchronized long take(long now, int burst, int perMinute) {
            double perNano = perMinute / (double) NANOS_PER_MINUTE;
            if (now > updated) {
                tokens = Math.min(burst, tokens + (now - updated) * perNano);
                updated = now;
            }
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / perNano);
        }
    }
}
