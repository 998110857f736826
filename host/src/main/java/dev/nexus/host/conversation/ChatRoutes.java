package dev.nexus.host.conversation;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NexusException;
import dev.nexus.host.http.Access;
import dev.nexus.host.http.EventStream;
import dev.nexus.host.http.Exchange;
import dev.nexus.host.http.Route;
import dev.nexus.host.persona.PersonalityId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The chat API: {@code POST /v1/chat}, {@code POST /v1/chat/stream} (Server-Sent Events) and
 * {@code GET /v1/conversations} (the caller's own), {@code GET /v1/conversations/{id}/messages} and
 * {@code GET /v1/conversations/{id}/events} (SSE). Stateless; see docs/api.md.
 */
public final class ChatRoutes {

    /**
     * The body of a chat request; unknown fields are refused. {@code speaker} names who said the message
     * when the conversation holds several people (issue 16: a group chat relayed through the API).
     */
    record ChatBody(
            String personality,
            String user,
            String conversation,
            String message,
            @org.jspecify.annotations.Nullable SpeakerBody speaker) {}

    /** Who said a chat message: a name, and their identity (a platform identity or user id) when known. */
    record SpeakerBody(
            @org.jspecify.annotations.Nullable String name,
            @org.jspecify.annotations.Nullable String id) {}

    private static final int KEEP_ALIVE_SECONDS = 15;

    private final ConversationService conversations;

    public ChatRoutes(ConversationService conversations) {
        this.conversations = conversations;
    }

    /** Returns the routes. */
    public List<Route> routes() {
        return List.of(
                Route.post("/v1/chat", Access.USER_SELF, this::chat),
                Route.post("/v1/chat/stream", Access.USER_SELF, this::stream),
                Route.get("/v1/conversations", Access.USER_SELF, this::list),
                Route.get(
                        "/v1/conversations/{id}/messages",
                        Access.userOwns("id", "conversation", conversations::ownerOf),
                        this::messages),
                Route.get(
                        "/v1/conversations/{id}/events",
                        Access.userOwns("id", "conversation", conversations::ownerOf),
                        this::events),
                Route.post(
                        "/v1/messages/{id}/regenerate",
                        Access.userOwns("id", "message", conversations::ownerOfMessage),
                        this::regenerate));
    }

    private void chat(Exchange exchange) {
        ConversationService.Accepted accepted = conversations.accept(request(exchange));
        TurnResult turn = conversations.answer(accepted, Optional.empty());
        Map<String, Object> body = turnBody(turn);
        // The turn that opened the conversation also returns the greeting it opened with (stored before it).
        accepted.greeting().ifPresent(greeting -> body.put("greeting", messageBody(greeting)));
        exchange.respond(200, body);
    }

    /**
     * Streams a turn. Validation, an unknown personality and a model failing before its first token
     * are answered as ordinary problem documents; the event stream opens with the first token or tool
     * event (a {@code tool} event follows each tool call the model made, before the model goes on). If
     * the client goes away, the reply is still completed and stored (the conversation stays whole).
     */
    private void stream(Exchange exchange) {
        ChatRequest request = request(exchange);
        exchange.reserveStream(); // refused (429) before the message is stored, not at the first token
        ConversationService.Accepted accepted = conversations.accept(request);
        LazyStream stream = new LazyStream(exchange, accepted);
        TurnResult turn;
        try {
            turn = conversations.answer(accepted.message().id(), Optional.of(stream::token), stream::tool);
        } catch (NexusException e) {
            if (!stream.started()) {
                throw e;
            }
            stream.fail(e);
            return;
        }
        stream.finish(turnBody(turn));
    }

    /** Writes another reply to the message a reply answers and keeps both; only the reply's user (or an admin) may. */
    private void regenerate(Exchange exchange) {
        exchange.requireNoBody();
        TurnResult turn = conversations.regenerate(exchange.pathParam("id"));
        Map<String, Object> body = turnBody(turn);
        body.put("alternativeOf", turn.reply().metadata().get("alternativeOf"));
        exchange.respond(201, body);
    }

    /** Lists the acting user's conversations (an admin may name any user with {@code ?user=}). */
    private void list(Exchange exchange) {
        String named = exchange.caller().actingUser("user", exchange.query("user"));
        // An admin key bound to nobody and naming nobody lists its own principal's conversations.
        String user = named.isEmpty() ? exchange.caller().principal() : named;
        Optional<PersonalityId> personality =
                exchange.query("personality").filter(p -> !p.isBlank()).map(PersonalityId::of);
        int limit = exchange.query("limit").map(ChatRoutes::limit).orElse(50);
        List<Map<String, Object>> shown = conversations.conversationsOf(user, personality, limit).stream()
                .map(c -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("id", c.id());
                    body.put("personality", c.personality().value());
                    body.put("user", c.user());
                    body.put("platform", c.platform());
                    body.put("createdAt", c.createdAt());
                    body.put("updatedAt", c.updatedAt());
                    body.put("title", c.title());
                    body.put("messages", c.messages());
                    return body;
                })
                .toList();
        exchange.respond(200, Map.of("user", user, "conversations", shown));
    }

    private void messages(Exchange exchange) {
        String id = exchange.pathParam("id");
        int limit = exchange.query("limit").map(ChatRoutes::limit).orElse(100);
        ConversationInfo info = conversations.conversation(id);
        List<StoredMessage> page =
                conversations.messages(id, exchange.query("after").filter(a -> !a.isBlank()), limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("conversation", info.id());
        body.put("personality", info.personality().value());
        body.put("user", info.user());
        body.put("platform", info.platform());
        body.put("createdAt", info.createdAt());
        Map<String, List<Map<String, Object>>> alternatives = new LinkedHashMap<>();
        for (StoredMessage alternative : conversations.alternatives(id)) {
            alternative
                    .inReplyTo()
                    .ifPresent(question -> alternatives
                            .computeIfAbsent(question, q -> new java.util.ArrayList<>())
                            .add(messageBody(alternative)));
        }
        body.put(
                "messages",
                page.stream()
                        .map(message -> {
                            Map<String, Object> shown = messageBody(message);
                            if (message.fromAssistant()) {
                                shown.put(
                                        "alternatives",
                                        message.inReplyTo()
                                                .map(alternatives::get)
                                                .orElse(List.of()));
                            }
                            return shown;
                        })
                        .toList());
        exchange.respond(200, body);
    }

    /**
     * Streams what happens in a conversation from now on: a {@code message} event for every message
     * stored (the user's, replies, a decided tool call's outcome) and {@code token} events of a reply
     * nobody's request is waiting for (the continuation after a tool call was approved). Keep-alive
     * comments every 15 s.
     */
    private void events(Exchange exchange) throws Exception {
        BlockingQueue<ConversationEvents.Event> queue = new LinkedBlockingQueue<>(10_000);
        try (EventStream stream = exchange.events();
                AutoCloseable watching = conversations.watch(exchange.pathParam("id"), queue::offer)) {
            if (!stream.comment("watching")) {
                return;
            }
            while (stream.isOpen()) {
                ConversationEvents.Event event = queue.poll(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
                boolean open = event == null ? stream.comment("keep-alive") : stream.send(event.name(), event.data());
                if (!open) {
                    return;
                }
            }
        }
    }

    private static ChatRequest request(Exchange exchange) {
        ChatBody body = exchange.json(ChatBody.class);
        String user = exchange.caller().actingUser("user", Optional.ofNullable(body.user()));
        return ChatRequest.api(body.personality(), user, Optional.ofNullable(body.conversation()), body.message())
                .withSpeaker(Optional.ofNullable(body.speaker())
                        .map(s -> new Speaker(s.name() == null ? "" : s.name(), Optional.ofNullable(s.id()))));
    }

    private static int limit(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(
                    "limit must be a whole number within [1, 500], got '" + InvalidInputException.cap(text) + "'");
        }
    }

    /** Returns the JSON body of a finished turn, shared by /v1/chat and the stream's final event. */
    static Map<String, Object> turnBody(TurnResult turn) {
        StoredMessage reply = turn.reply();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("conversation", reply.conversation());
        body.put(
                "message",
                Map.of(
                        "id",
                        reply.id(),
                        "role",
                        reply.role(),
                        "content",
                        reply.content(),
                        "createdAt",
                        reply.createdAt()));
        Map<String, Object> userMessage = new LinkedHashMap<>();
        userMessage.put("id", turn.userMessage().id());
        userMessage.put("createdAt", turn.userMessage().createdAt());
        turn.userMessage().speaker().ifPresent(speaker -> userMessage.put("speaker", speakerBody(speaker)));
        body.put("userMessage", userMessage);
        body.put(
                "personality",
                Map.of(
                        "id",
                        reply.personality().value(),
                        "version",
                        reply.personalityVersion().orElse(1)));
        body.put("traits", reply.traits());
        body.put("model", reply.model().orElse(""));
        body.put("metadata", reply.metadata());
        return body;
    }

    private static Map<String, Object> speakerBody(Speaker speaker) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", speaker.name());
        speaker.id().ifPresent(id -> body.put("id", id));
        return body;
    }

    static Map<String, Object> messageBody(StoredMessage message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", message.id());
        body.put("role", message.role());
        body.put("content", message.content());
        body.put("createdAt", message.createdAt());
        body.put("platform", message.platform());
        message.speaker().ifPresent(speaker -> body.put("speaker", speakerBody(speaker)));
        if (message.fromAssistant()) {
            body.put(
                    "personality",
                    Map.of(
                            "id",
                            message.personality().value(),
                            "version",
                            message.personalityVersion().orElse(1)));
            body.put("traits", message.traits());
            body.put("model", message.model().orElse(""));
            body.put("inReplyTo", message.inReplyTo().orElse(""));
            body.put("metadata", message.metadata());
        } else {
            body.put("state", message.state());
            if (StoredMessage.TOOL.equals(message.role())) {
                body.put("metadata", message.metadata()); // which proposal, after which reply, what became of the call
            }
        }
        return body;
    }

    /**
     * An event stream opened at the first token. After the client has gone, tokens are dropped but
     * still accepted, so the model finishes and the reply is stored. Confined to the request thread.
     */
    private static final class LazyStream {

        private final Exchange exchange;
        private final ConversationService.Accepted accepted;
        private EventStream events;
        private boolean gone;

        LazyStream(Exchange exchange, ConversationService.Accepted accepted) {
            this.exchange = exchange;
            this.accepted = accepted;
        }

        boolean started() {
            return events != null;
        }

        boolean token(String text) {
            open();
            if (!gone && !events.send("token", Map.of("text", text))) {
                gone = true;
            }
            return true;
        }

        void tool(ToolUse use) {
            open();
            if (!gone && !events.send("tool", use.event())) {
                gone = true;
            }
        }

        void finish(Map<String, Object> body) {
            open();
            if (!gone) {
                events.send("done", body);
            }
            events.close();
        }

        void fail(NexusException e) {
            if (!gone) {
                int status = e instanceof dev.nexus.host.DependencyException dependency
                        ? (dependency.retriable() ? 503 : 502)
                        : 500;
                events.send("error", Map.of("status", status, "title", e.title(), "detail", e.getMessage()));
            }
            events.close();
        }

        private void open() {
            if (events == null) {
                events = exchange.events();
                StoredMessage userMessage = accepted.message();
                Map<String, Object> start = new LinkedHashMap<>();
                start.put("conversation", userMessage.conversation());
                start.put("userMessage", Map.of("id", userMessage.id(), "createdAt", userMessage.createdAt()));
                // The turn that opened the conversation: the greeting it opened with, to show above the message.
                accepted.greeting().ifPresent(greeting -> start.put("greeting", messageBody(greeting)));
                gone = !events.send("start", start);
            }
        }
    }
}
