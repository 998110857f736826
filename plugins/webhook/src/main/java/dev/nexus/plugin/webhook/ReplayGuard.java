package dev.nexus.plugin.webhook;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Remembers the message ids accepted recently, each until the end of the window in which a request
 * carrying it could still pass the timestamp check. A replayed request (same body, so same id and
 * same signature) or a sender's retry within that window is answered as a duplicate without reaching
 * the host again; after the window the timestamp check refuses it. Bounded: when {@code capacity}
 * unexpired ids are held, {@link #remember} refuses instead of forgetting early. Thread-safe.
 */
final class ReplayGuard {

    private final int capacity;
    private final Map<String, Seen> seen = new LinkedHashMap<>();

    ReplayGuard(int capacity) {
        this.capacity = capacity;
    }

    /** Returns the host message id stored for {@code externalId}, if it is still remembered at {@code now}. */
    synchronized Optional<String> lookup(String externalId, Instant now) {
        Seen entry = seen.get(externalId);
        if (entry == null || !entry.until.isAfter(now)) {
            return Optional.empty();
        }
        return Optional.of(entry.messageId);
    }

    /**
     * Remembers {@code externalId} (stored as {@code messageId}) until {@code until}.
     *
     * @return false when the guard is full of unexpired ids; the caller should ask the sender to retry
     */
    synchronized boolean remember(String externalId, String messageId, Instant until, Instant now) {
        evictExpired(now, false);
        if (seen.size() >= capacity && !seen.containsKey(externalId)) {
            evictExpired(now, true);
            if (seen.size() >= capacity) {
                return false;
            }
        }
        seen.put(externalId, new Seen(messageId, until));
        return true;
    }

    /** Returns how many ids are held; for tests. */
    synchronized int size() {
        return seen.size();
    }

    /**
     * Drops expired ids. Ids arrive roughly in expiry order, so the cheap pass stops at the first live
     * one; the full pass runs only when the guard is full.
     */
    private void evictExpired(Instant now, boolean full) {
        Iterator<Seen> entries = seen.values().iterator();
        while (entries.hasNext()) {
            if (!entries.next().until.isAfter(now)) {
                entries.remove();
            } else if (!full) {
                return;
            }
        }
    }

    private record Seen(String messageId, Instant until) {}
}
