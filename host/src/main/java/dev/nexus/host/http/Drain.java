package dev.nexus.host.http;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a graceful stop waits for: the requests being answered (turns and their event streams
 * included) and the watching streams ({@code GET} event streams that never end by themselves).
 * Once {@link #begin()} is called new requests are refused with 503 and watchers are ended; turns
 * in flight run to their end. Thread-safe.
 */
final class Drain {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final Set<SseStream> watchers = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    /** Returns true once the server stopped accepting requests. */
    boolean draining() {
        return draining;
    }

    void enter() {
        inFlight.incrementAndGet();
    }

    void leave() {
        inFlight.decrementAndGet();
    }

    /** Registers a watching stream, to be ended when the drain begins (at once if it already has). */
    void watch(SseStream stream) {
        watchers.add(stream);
        if (draining) {
            stream.end();
        }
    }

    void unwatch(SseStream stream) {
        watchers.remove(stream);
    }

    /** Stops accepting and ends the watchers. */
    void begin() {
        draining = true;
        watchers.forEach(SseStream::end);
    }

    /**
     * Waits until no request is in flight, at most {@code limit}; returns how many still are (0 when
     * the drain completed).
     */
    int await(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return inFlight.get();
    }
}
