package dev.nexus.plugin.telegram;

import dev.nexus.api.platform.ConnectorHealth;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The connector's link to Telegram as {@code GET /v1/plugins} shows it, and the backoff between
 * reconnection attempts (1 s doubled per failure up to the configured maximum, reset by a success).
 * Thread-safe.
 */
final class LinkHealth {

    private final Clock clock;
    private final Duration backoffMax;
    private ConnectorHealth health;
    private int failures;

    LinkHealth(Clock clock, Duration backoffMax, ConnectorHealth.State initial, Optional<String> error) {
        this.clock = clock;
        this.backoffMax = backoffMax;
        this.health = new ConnectorHealth(initial, error, clock.instant());
    }

    synchronized ConnectorHealth current() {
        return health;
    }

    /** The last call succeeded. */
    synchronized void connected() {
        failures = 0;
        if (health.state() != ConnectorHealth.State.CONNECTED) {
            health = new ConnectorHealth(ConnectorHealth.State.CONNECTED, health.lastError(), clock.instant());
        }
    }

    /** The last call failed for a reason that may pass; returns how long to wait before the next attempt. */
    synchronized Duration reconnecting(String error) {
        failures++;
        health = new ConnectorHealth(ConnectorHealth.State.RECONNECTING, Optional.of(error),
                health.state() == ConnectorHealth.State.RECONNECTING ? health.since() : clock.instant());
        return backoff(failures);
    }

    /** The platform refused the configuration (a revoked token): still retried, at the longest backoff. */
    synchronized Duration failing(String error) {
        failures++;
        health = new ConnectorHealth(ConnectorHealth.State.FAILING, Optional.of(error),
                health.state() == ConnectorHealth.State.FAILING ? health.since() : clock.instant());
        return backoffMax;
    }

    /** Returns 1 s × 2^(failures − 1), at most the maximum. */
    Duration backoff(int failures) {
        int doublings = Math.max(0, Math.min(failures - 1, 20));
        Duration wait = Duration.ofSeconds(1L << doublings);
        return wait.compareTo(backoffMax) <= 0 ? wait : backoffMax;
    }
}
