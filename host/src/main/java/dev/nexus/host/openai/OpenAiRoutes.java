package dev.nexus.host.openai;

import dev.nexus.host.NexusException;
import dev.nexus.host.auth.Caller;
import dev.nexus.host.conversation.ConversationService;
import dev.nexus.host.conversation.StoredMessage;
import dev.nexus.host.conversation.TurnResult;
import dev.nexus.host.db.Database;
import dev.nexus.host.http.Access;
import dev.nexus.host.http.EventStream;
import dev.nexus.host.http.Exchange;
import dev.nexus.host.http.Route;
import dev.nexus.host.persona.Owner;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.PersonalityService;
import dev.nexus.host.persona.Registered;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenAI-compatible API: {@code GET /v1/models}, {@code GET /v1/models/{id}} (personalities as
 * models) and {@code POST /v1/chat/completions} (a real Nexus turn, plain or streamed in OpenAI's
 * chunk format). Errors on these paths take OpenAI's shape. Stateless; see docs/openai.md.
 */
public final class OpenAiRoutes {

    /** The request header that names the Nexus conversation to continue; answered on every completion. */
    public static final String CONVERSATION_HEADER = "X-Nexus-Conversation";
    /** The response header with the stored reply's id (what feedback and regenerate refer to). */
    public static final String MESSAGE_HEADER = "X-Nexus-Message";

    private final PersonalityService personalities;
    private final Completions completions;

    public OpenAiRoutes(
            ConversationService conversations, PersonalityService personalities, Database database, Clock clock) {
        this.personalities = personalities;
        this.completions = new Completions(conversations, personalities, database, clock);
    }

    /** Returns the routes. */
    public List<Route> routes() {
        return List.of(
                Route.get("/v1/models", Access.USER_SHARED, this::models).withErrors(Route.ErrorShape.OPENAI),
                Route.get("/v1/models/{id}", Access.USER_SHARED, this::model).withErrors(Route.ErrorShape.OPENAI),
                Route.post("/v1/chat/completions", Access.USER_SELF, this::complete)
                        .withErrors(Route.ErrorShape.OPENAI));
    }

    private void models(Exchange exchange) {
        List<Map<String, Object>> data =
                personalities.list().stream().map(this::modelBody).toList();
        exchange.respond(200, Map.of("object", "list", "data", data));
    }

    private void model(Exchange exchange) {
        String id = exchange.pathParam("id");
        Registered found;
        try {
            found = personalities.get(PersonalityId.of(id));
        } catch (RuntimeException e) {
            throw new ModelNotFound(id);
        }
        exchange.respond(200, modelBody(found));
    }

    private Map<String, Object> modelBody(Registered registered) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", registered.id().value());
        body.put("object", "model");
        body.put(
                "created",
                personalities.versions(registered.id()).stream()
                        .findFirst()
                        .orElse(registered.version())
                        .createdAt()
                        .getEpochSecond());
        body.put("owned_by", ownedBy(registered.owner()));
        return body;
    }

    private static String ownedBy(Owner owner) {
        return switch (owner.kind()) {
            case BUNDLE -> "nexus";
            case PLUGIN -> "plugin:" + owner.detail();
            case API -> "nexus-api";
        };
    }

    private void complete(Exchange exchange) {
        @SuppressWarnings("unchecked")
        Map<String, Object> body = exchange.json(Map.class);
        CompletionRequest request = CompletionRequest.parse(body);
        String user = user(exchange.caller(), request.user());
        if (request.stream()) {
            exchange.reserveStream(); // refused (429) before the message is stored, not at the first token
        }
        Completions.Started started = completions.start(
                request,
                user,
                exchange.header(CONVERSATION_HEADER).map(String::strip).filter(id -> !id.isEmpty()));
        exchange.header(CONVERSATION_HEADER, started.conversation());
        if (request.stream()) {
            stream(exchange, request, user, started);
            return;
        }
        TurnResult turn = completions.answer(request, user, started, Optional.empty(), use -> {});
        exchange.header(MESSAGE_HEADER, turn.reply().id());
        exchange.respond(200, completion(request, turn));
    }

    /**
     * The user a completion acts for: the key's user. The OpenAI {@code user} field may repeat it; naming
     * somebody else is 403, except for admin keys, which act for whoever they name (or their principal).
     */
    static String user(Caller caller, Optional<String> requested) {
        String user = caller.actingUser("user", requested);
        return user.isBlank() ? caller.principal() : user;
    }

    private static Map<String, Object> completion(CompletionRequest request, TurnResult turn) {
        StoredMessage reply = turn.reply();
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "assistant");
        message.put("content", reply.content());
        message.put("refusal", null);
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("message", message);
        choice.put("logprobs", null);
        choice.put("finish_reason", finishReason(reply));
        Map<String, Object> body = head(turn.userMessage(), request, "chat.completion");
        body.put("choices", List.of(choice));
        body.put("usage", usage(reply));
        body.put("nexus", nexus(turn));
        return body;
    }

    private static Map<String, Object> head(StoredMessage userMessage, CompletionRequest request, String object) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", "chatcmpl-" + userMessage.id());
        body.put("object", object);
        body.put("created", userMessage.createdAt().getEpochSecond());
        body.put("model", request.model());
        body.put("system_fingerprint", null);
        return body;
    }

    /** Nexus's own ids, so a client can give feedback on the reply or regenerate it. */
    private static Map<String, Object> nexus(TurnResult turn) {
        return Map.of(
                "conversation",
                turn.reply().conversation(),
                "message",
                turn.reply().id(),
                "userMessage",
                turn.userMessage().id());
    }

    private static Map<String, Object> usage(StoredMessage reply) {
        int input = 0;
        int output = 0;
        if (reply.metadata().get("usage") instanceof Map<?, ?> usage) {
            input = usage.get("input") instanceof Number n ? n.intValue() : 0;
            output = usage.get("output") instanceof Number n ? n.intValue() : 0;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("prompt_tokens", input);
        body.put("completion_tokens", output);
        body.put("total_tokens", input + output);
        return body;
    }

    private static String finishReason(StoredMessage reply) {
        return "length".equals(reply.metadata().get("finishReason")) ? "length" : "stop";
    }

    /**
     * Streams in OpenAI's format: a first chunk with the role, one chunk per token, a last chunk with
     * the finish reason, a usage chunk when asked, then {@code [DONE]}. Failures before the first byte
     * are ordinary (OpenAI-shaped) errors; later ones end the stream with an error object.
     */
    private void stream(Exchange exchange, CompletionRequest request, String user, Completions.Started started) {
        StoredMessage userMessage = completionsMessage(started);
        Chunks chunks = new Chunks(exchange, request, userMessage);
        TurnResult turn;
        try {
            turn = completions.answer(request, user, started, Optional.of(chunks::token), use -> chunks.open());
        } catch (NexusException e) {
            if (!chunks.started()) {
                throw e;
            }
            chunks.fail(e);
            return;
        }
        chunks.finish(turn);
    }

    private StoredMessage completionsMessage(Completions.Started started) {
        return completions.message(started.userMessage());
    }

    /** The chunks of one streamed completion. Confined to the request thread. */
    private static final class Chunks {

        private final Exchange exchange;
        private final CompletionRequest request;
        private final StoredMessage userMessage;
        private EventStream events;
        private boolean gone;

        Chunks(Exchange exchange, CompletionRequest request, StoredMessage userMessage) {
            this.exchange = exchange;
            this.request = request;
            this.userMessage = userMessage;
        }

        boolean started() {
            return events != null;
        }

        boolean token(String text) {
            open();
            send(chunk(Map.of("content", text), null));
            return true; // after the client has gone the model still finishes, so the reply is stored whole
        }

        void open() {
            if (events == null) {
                events = exchange.events();
                Map<String, Object> first = new LinkedHashMap<>();
                first.put("role", "assistant");
                first.put("content", "");
                first.put("refusal", null);
                send(chunk(first, null));
            }
        }

        void finish(TurnResult turn) {
            open();
            Map<String, Object> last = chunk(Map.of(), finishReason(turn.reply()));
            last.put("nexus", nexus(turn));
            send(last);
            if (request.includeUsage()) {
                Map<String, Object> usage = head(userMessage, request, "chat.completion.chunk");
                usage.put("choices", List.of());
                usage.put("usage", OpenAiRoutes.usage(turn.reply()));
                send(usage);
            }
            send("[DONE]");
            events.close();
        }

        void fail(NexusException e) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("message", e.getMessage());
            error.put(
                    "type",
                    e instanceof dev.nexus.host.DependencyException d && d.retriable()
                            ? "service_unavailable"
                            : "api_error");
            error.put("param", null);
            error.put("code", null);
            send(Map.of("error", error));
            events.close();
        }

        private Map<String, Object> chunk(Map<String, Object> delta, String finishReason) {
            Map<String, Object> choice = new LinkedHashMap<>();
            choice.put("index", 0);
            choice.put("delta", delta);
            choice.put("logprobs", null);
            choice.put("finish_reason", finishReason);
            Map<String, Object> body = head(userMessage, request, "chat.completion.chunk");
            body.put("choices", new ArrayList<>(List.of(choice)));
            if (request.includeUsage()) {
                body.put("usage", null);
            }
            return body;
        }

        private void send(Object data) {
            if (!gone && !events.data(data)) {
                gone = true;
            }
        }
    }
}
