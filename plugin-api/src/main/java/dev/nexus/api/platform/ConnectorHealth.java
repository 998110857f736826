package dev.nexus.api.platform;

import dev.nexus.api.Experimental;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How a connector's link to its platform is doing, as {@code GET /v1/plugins} shows it: connected,
 * reconnecting after a failure (with backoff), or failing (it gave up until reconfigured, e.g. a
 * revoked token). Immutable.
 *
 * @param state the link's state
 * @param lastError the last error seen, fit to show an operator (never a token or a stack trace); empty
 *     when there was none since the connector started
 * @param since when the link entered {@code state}
 */
@Experimental
public record ConnectorHealth(State state, Optional<String> lastError, Instant since) {

    /** The state of a connector's link to its platform. */
    @Experimental
    public enum State {
        /** The connector talks to its platform (the last poll, connection or call succeeded). */
        CONNECTED,
        /** The last attempt failed; the connector is trying again with backoff. */
        RECONNECTING,
        /** The connector stopped trying until an operator fixes its configuration (a rejected token, say). */
        FAILING
    }

    /** Validates. */
    public ConnectorHealth {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        lastError = lastError == null ? Optional.empty() : lastError;
    }
}
