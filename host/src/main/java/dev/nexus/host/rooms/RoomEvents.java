package dev.nexus.host.rooms;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens in each room, for whoever watches it ({@code GET /v1/rooms/{id}/events}): every
 * message stored, who starts speaking, and why a run of personality turns stopped. In-process only
 * (watchers on another host of a cluster do not see it). Listeners must not block; one that throws is
 * logged and kept. Thread-safe.
 */
final class RoomEvents {

    private static final Logger LOG = LoggerFactory.getLogger(RoomEvents.class);

    /**
     * One event. Immutable.
     *
     * @param name {@code message}, {@code speaking} or {@code stopped}
     * @param data its JSON body
     * @param message the stored message for {@code message} events, else null
     */
    record Event(String name, Map<String, Object> data, RoomMessage message) {}

    private final Map<String, Set<Consumer<Event>>> byRoom = new ConcurrentHashMap<>();

    AutoCloseable subscribe(String room, Consumer<Event> listener) {
        byRoom.computeIfAbsent(room, k -> new CopyOnWriteArraySet<>()).add(listener);
        return () -> byRoom.computeIfPresent(room, (k, listeners) -> {
            listeners.remove(listener);
            return listeners.isEmpty() ? null : listeners;
        });
    }

    void stored(RoomMessage message) {
        publish(message.room(), new Event("message", message.body(), message));
    }

    void speaking(String room, String personality, String reason) {
        publish(room, new Event("speaking", Map.of("personality", personality, "reason", reason), null));
    }

    void stopped(String room, String reason) {
        publish(room, new Event("stopped", Map.of("reason", reason), null));
    }

    private void publish(String room, Event event) {
        Set<Consumer<Event>> listeners = byRoom.get(room);
        if (listeners == null) {
            return;
        }
        for (Consumer<Event> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("a watcher of room {} failed on a {} event", room, event.name(), e);
            }
        }
    }
}
