package dev.nexus.host.conversation;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens in each conversation, for whoever watches it ({@code GET /v1/conversations/{id}/events}):
 * every message stored, and the tokens of a reply written without a request waiting for it (the
 * continuation after a tool call was decided). In-process: subscribers on another host of a cluster
 * do not see this host's events. Listeners must not block; one that throws is logged and kept.
 * Thread-safe.
 */
final class ConversationEvents {

    private static final Logger LOG = LoggerFactory.getLogger(ConversationEvents.class);

    /**
     * One event. Immutable.
     *
     * @param name {@code message} or {@code token}
     * @param data the event's JSON body
     */
    record Event(String name, Map<String, Object> data) {
        Event {
            data = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
        }
    }

    private final Map<String, Set<Consumer<Event>>> byConversation = new ConcurrentHashMap<>();

    /** Subscribes to conversation {@code id}; close the handle to stop. */
    AutoCloseable subscribe(String id, Consumer<Event> listener) {
        byConversation.computeIfAbsent(id, k -> new CopyOnWriteArraySet<>()).add(listener);
        return () -> byConversation.computeIfPresent(id, (k, listeners) -> {
            listeners.remove(listener);
            return listeners.isEmpty() ? null : listeners;
        });
    }

    private volatile Consumer<StoredMessage> outbound = message -> {};

    void onStored(Consumer<StoredMessage> listener) {
        this.outbound = listener;
    }

    /** Tells the conversation's watchers that {@code message} was stored (and other hosts, through the outbound listener). */
    void stored(StoredMessage message) {
        outbound.accept(message);
        relay(message);
    }

    /** Tells this host's watchers about a message another host stored. */
    void relay(StoredMessage message) {
        publish(message.conversation(), new Event("message", ChatRoutes.messageBody(message)));
    }

    /** Returns true when someone on this host watches conversation {@code id}. */
    boolean watched(String id) {
        return byConversation.containsKey(id);
    }

    /** Tells the conversation's watchers a piece of the reply being written to {@code answering}. */
    void token(String conversation, String answering, String text) {
        publish(conversation, new Event("token", Map.of("inReplyTo", answering, "text", text)));
    }

    private void publish(String conversation, Event event) {
        Set<Consumer<Event>> listeners = byConversation.get(conversation);
        if (listeners == null) {
            return;
        }
        for (Consumer<Event> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("a watcher of conversation {} failed on a {} event", conversation, event.name(), e);
            }
        }
    }
}
