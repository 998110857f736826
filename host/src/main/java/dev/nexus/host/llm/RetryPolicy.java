package dev.nexus.host.llm;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How often and how patiently a call is retried on retriable failures: exponential backoff with
 * jitter (each pause is between half and all of {@code backoff * 2^(attempt-1)}, capped at
 * {@code maxBackoff}). Immutable; the random generator is only read to jitter pauses.
 *
 * @param maxAttempts attempts in total, at least 1
 * @param backoff the pause before the first retry
 * @param maxBackoff the longest pause
 * @param pause how to wait (a real sleep in production, a recorder in tests)
 * @param random the jitter source
 */
record RetryPolicy(int maxAttempts, Duration backoff, Duration maxBackoff, Pause pause, RandomGenerator random) {

    /** How the policy waits between attempts. */
    @FunctionalInterface
    interface Pause {

        /** Waits for {@code duration}; throws {@link InterruptedException} when interrupted. */
        void pause(Duration duration) throws InterruptedException;

        /** Returns a pause that sleeps the current thread. */
        static Pause sleeping() {
            return duration -> Thread.sleep(duration.toMillis());
        }
    }

    RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
    }

    /** Returns the pause before attempt {@code nextAttempt} (2 for the first retry). */
    Duration pauseBefore(int nextAttempt) {
        long base = backoff.toMillis() << Math.min(20, nextAttempt - 2);
        long capped = Math.min(base, maxBackoff.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + (half == 0 ? 0 : random.nextLong(half + 1)));
    }
}
