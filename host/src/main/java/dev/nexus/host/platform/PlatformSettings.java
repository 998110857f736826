package dev.nexus.host.platform;

import dev.nexus.host.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code platforms} configuration section: how replies to platform messages are produced and
 * delivered. Immutable; every default is stated here, once.
 *
 * @param pollMillis how often each platform's courier looks for due deliveries when nothing wakes it
 * @param maxAttempts delivery attempts before a reply is given up as failed
 * @param backoffMillis the pause after the first failed attempt; doubled per attempt
 * @param maxBackoffMillis the longest pause between attempts
 * @param leaseSeconds how long a claimed delivery is reserved for the worker sending it
 * @param answerAttempts attempts at producing a reply when the language model is unavailable
 */
public record PlatformSettings(
        Integer pollMillis,
        Integer maxAttempts,
        Integer backoffMillis,
        Integer maxBackoffMillis,
        Integer leaseSeconds,
        Integer answerAttempts) {

    /** Applies defaults and reports every problem at once. */
    public PlatformSettings {
        pollMillis = pollMillis == null ? 1000 : pollMillis;
        maxAttempts = maxAttempts == null ? 8 : maxAttempts;
        backoffMillis = backoffMillis == null ? 1000 : backoffMillis;
        maxBackoffMillis = maxBackoffMillis == null ? 300_000 : maxBackoffMillis;
        leaseSeconds = leaseSeconds == null ? 60 : leaseSeconds;
        answerAttempts = answerAttempts == null ? 5 : answerAttempts;
        List<String> problems = new ArrayList<>();
        if (pollMillis < 10 || pollMillis > 60_000) {
            problems.add("platforms.poll-millis must be within [10, 60000], got " + pollMillis);
        }
        if (maxAttempts < 1 || maxAttempts > 100) {
            problems.add("platforms.max-attempts must be within [1, 100], got " + maxAttempts);
        }
        if (backoffMillis < 0 || backoffMillis > maxBackoffMillis) {
            problems.add(
                    "platforms.backoff-millis must be within [0, platforms.max-backoff-millis], got " + backoffMillis);
        }
        if (leaseSeconds < 1 || leaseSeconds > 3600) {
            problems.add("platforms.lease-seconds must be within [1, 3600], got " + leaseSeconds);
        }
        if (answerAttempts < 1 || answerAttempts > 50) {
            problems.add("platforms.answer-attempts must be within [1, 50], got " + answerAttempts);
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(String.join("; ", problems));
        }
    }

    /** Returns the defaults. */
    public static PlatformSettings defaults() {
        return new PlatformSettings(null, null, null, null, null, null);
    }

    /** Returns the pause before attempt {@code attempt + 1} after {@code attempt} failures. */
    Duration backoff(int attempt) {
        long millis = (long) backoffMillis << Math.min(20, Math.max(0, attempt - 1));
        return Duration.ofMillis(Math.min(millis, maxBackoffMillis));
    }
}
