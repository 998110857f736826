package dev.nexus.plugin.webhook;

import dev.nexus.api.PluginStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Remembers the ids accepted recently, each until the end of the window in which a request carrying
 * it could still pass the timestamp check. A replayed request (same body, so same id and same
 * signature) or a sender's retry within that window is answered as a duplicate without reaching the
 * host again; after the window the timestamp check refuses it.
 *
 * <p>The memory is the plugin's {@link PluginStore}, so it survives a restart and is shared by every
 * host on the database: a request replayed to another host is a duplicate there too. Messages and
 * reactions use separate namespaces ({@code message:} and {@code reaction:} keys). When the store is
 * full, {@link #remember} says so and the host's own duplicate check (per platform and id) still
 * applies; when the store is down, {@link PluginStore.Unavailable} reaches the caller, which asks the
 * sender to retry. Thread-safe.
 */
final class ReplayGuard {

    private final PluginStore store;
    private final String namespace;

    ReplayGuard(PluginStore store, String namespace) {
        this.store = store;
        this.namespace = namespace + ":";
    }

    /**
     * Returns the host id stored for {@code externalId}, if it is still remembered.
     *
     * @throws PluginStore.Unavailable when the store cannot be read
     */
    Optional<String> lookup(String externalId) {
        return store.get(namespace + externalId);
    }

    /**
     * Remembers {@code externalId} (stored as {@code hostId}) until {@code until}.
     *
     * @return false when it could not be remembered (the store is full or unavailable, or the window
     *     has already passed); the host's duplicate check still applies
     */
    boolean remember(String externalId, String hostId, Instant until, Instant now) {
        Duration left = Duration.between(now, until);
        if (left.isNegative() || left.isZero()) {
            return false;
        }
        try {
            store.put(namespace + externalId, hostId, left);
            return true;
        } catch (PluginStore.Full | PluginStore.Unavailable e) {
            return false;
        }
    }
}
