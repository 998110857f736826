package dev.nexus.api.platform;

import dev.nexus.api.Experimental;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A connector's link to its platform as {@code GET /v1/plugins} shows it ({@link PlatformConnector#health()}),
 * and the backoff between reconnection attempts (1 s doubled per failure up to the configured maximum,
 * reset by a success). For connectors that hold a standing link (polling, a WebSocket); the first-party
 * Telegram and Discord connectors use it. Thread-safe.
 */
@Experimental
public final class LinkHealth {

    private final Clock clock;
    private final Duration backoffMax;
    private ConnectorHealth health;
    private int failures;

    /**
     * Starts in {@code initial} (since now), with {@code error} as the last error.
     *
     * @param backoffMax the longest wait between attempts (at least one second)
     */
    public LinkHealth(Clock clock, Duration backoffMax, ConnectorHealth.State initial, Optional<String> error) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (backoffMax.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("backoffMax must be at least one second, was " + backoffMax);
        }
        this.backoffMax = backoffMax;
        this.health = new ConnectorHealth(initial, error, clock.instant());
    }

    /** The link as it is now. */
    public synchronized ConnectorHealth current() {
        return health;
    }

    /** The last call succeeded. */
    public synchronized void connected() {
        failures = 0;
        if (health.state() != ConnectorHealth.State.CONNECTED) {
            health = new ConnectorHealth(ConnectorHealth.State.CONNECTED, health.lastError(), clock.instant());
        }
    }

    /** The last call failed for a reason that may pass; returns how long to wait before the next attempt. */
    public synchronized Duration reconnecting(String error) {
        failures++;
        health = new ConnectorHealth(
                ConnectorHealth.State.RECONNECTING,
                Optional.of(error),
                health.state() == ConnectorHealth.State.RECONNECTING ? health.since() : clock.instant());
        return backoff(failures);
    }

    /**
     * A link's step failed in a way the connector did not expect (a bug, an unforeseen answer): logs it as a
     * warning with its stack trace ({@code "<link> failed"}) and counts it as {@link #reconnecting} with
     * {@code "unexpected failure: <message>"} (the message shortened to 100 characters).
     *
     * @return how long to wait before the next attempt
     */
    public Duration unexpected(String link, RuntimeException failure, System.Logger log) {
        log.log(System.Logger.Level.WARNING, link + " failed", failure);
        String message = String.valueOf(failure.getMessage());
        return reconnecting(
                "unexpected failure: " + (message.length() <= 100 ? message : message.substring(0, 100) + "…"));
    }

    /** The platform refused the configuration (a revoked token): still retried, at the longest backoff. */
    public synchronized Duration failing(String error) {
        failures++;
        health = new ConnectorHealth(
                ConnectorHealth.State.FAILING,
                Optional.of(error),
                health.state() == ConnectorHealth.State.FAILING ? health.since() : clock.instant());
        return backoffMax;
    }

    /** Returns 1 s × 2^(failures − 1), at most the maximum. */
    public Duration backoff(int failures) {
        int doublings = Math.max(0, Math.min(failures - 1, 20));
        Duration wait = Duration.ofSeconds(1L << doublings);
        return wait.compareTo(backoffMax) <= 0 ? wait : backoffMax;
    }
}
