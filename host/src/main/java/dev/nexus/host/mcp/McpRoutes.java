package dev.nexus.host.mcp;

import dev.nexus.host.AccessDeniedException;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NexusException;
import dev.nexus.host.http.Access;
import dev.nexus.host.http.Exchange;
import dev.nexus.host.http.Route;
import dev.nexus.host.json.Json;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Nexus as an MCP server at {@code /mcp}, over Streamable HTTP: every JSON-RPC request is a POST
 * answered with one JSON response (notifications with 202); no server-initiated stream is offered,
 * so {@code GET /mcp} is 405, as the transport allows. Sessions are not used: each request is
 * authenticated by its bearer key and acts as that key's principal. See docs/mcp.md. Stateless.
 */
public final class McpRoutes {

    /** Protocol revisions this server speaks, newest first. */
    static final List<String> VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");

    private final NexusTools tools;

    public McpRoutes(NexusTools tools) {
        this.tools = tools;
    }

    /** Returns the routes. */
    public List<Route> routes() {
        return List.of(
                Route.post("/mcp", Access.USER_SELF, this::post),
                Route.get("/mcp", Access.USER_SELF, McpRoutes::noStream),
                Route.delete("/mcp", Access.USER_SELF, McpRoutes::noStream));
    }

    private static void noStream(Exchange exchange) {
        exchange.header("Allow", "POST");
        exchange.respond(
                405,
                Map.of(
                        "type",
                        "https://nexus.dev/problems/method-not-allowed",
                        "title",
                        "Method not allowed",
                        "status",
                        405,
                        "detail",
                        "this MCP server answers each POST with JSON; it offers no event stream and no sessions",
                        "instance",
                        "/mcp"));
    }

    private void post(Exchange exchange) {
        checkOrigin(exchange);
        Object id = null;
        Map<String, Object> message;
        try {
            Object parsed = Json.read(exchange.bodyBytes(), Object.class);
            if (!(parsed instanceof Map<?, ?> map)) {
                exchange.respond(
                        400, error(null, -32600, "send one JSON-RPC message per request (batches are not supported)"));
                return;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> cast = (Map<String, Object>) map;
            message = cast;
        } catch (InvalidInputException e) {
            exchange.respond(400, error(null, -32700, "parse error: " + e.getMessage()));
            return;
        }
        id = message.get("id");
        if (!"2.0".equals(message.get("jsonrpc")) || !(message.get("method") instanceof String method)) {
            if ("2.0".equals(message.get("jsonrpc"))
                    && message.containsKey("id")
                    && (message.containsKey("result") || message.containsKey("error"))) {
                exchange.respondBytes(202, "application/json", new byte[0]);
                return;
            }
            exchange.respond(
                    400, error(id, -32600, "a JSON-RPC 2.0 request needs \"jsonrpc\":\"2.0\" and a string \"method\""));
            return;
        }
        if (id == null) {
            exchange.respondBytes(202, "application/json", new byte[0]); // a notification: nothing to answer
            return;
        }
        Map<String, Object> params = message.get("params") instanceof Map<?, ?> p ? castMap(p) : Map.of();
        try {
            exchange.respond(200, result(id, dispatch(method, params, exchange)));
        } catch (RpcError e) {
            exchange.respond(200, error(id, e.code, e.getMessage()));
        } catch (NexusException e) {
            exchange.respond(200, error(id, e instanceof InvalidInputException ? -32602 : -32603, e.getMessage()));
        }
    }

    private Object dispatch(String method, Map<String, Object> params, Exchange exchange) {
        return switch (method) {
            case "initialize" -> initialize(params);
            case "ping" -> Map.of();
            case "tools/list" -> Map.of("tools", tools.list());
            case "tools/call" ->
                tools.call(
                        string(params, "name"),
                        params.get("arguments") instanceof Map<?, ?> a ? castMap(a) : Map.of(),
                        exchange.caller());
            case "prompts/list" -> Map.of("prompts", tools.prompts());
            case "prompts/get" ->
                tools.prompt(
                        string(params, "name"),
                        params.get("arguments") instanceof Map<?, ?> a ? castMap(a) : Map.of(),
                        exchange.caller());
            case "resources/list" -> Map.of("resources", List.of());
            default ->
                throw new RpcError(
                        -32601,
                        "method '" + InvalidInputException.cap(method) + "' is not supported; "
                                + "this server offers tools and prompts");
        };
    }

    private static Map<String, Object> initialize(Map<String, Object> params) {
        String requested = params.get("protocolVersion") instanceof String v ? v : VERSIONS.get(0);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("protocolVersion", VERSIONS.contains(requested) ? requested : VERSIONS.get(0));
        result.put(
                "capabilities", Map.of("tools", Map.of("listChanged", false), "prompts", Map.of("listChanged", false)));
        result.put("serverInfo", Map.of("name", "nexus", "version", NexusTools.VERSION));
        result.put(
                "instructions",
                "Nexus personalities: call 'chat' with a personality id to talk to one (the conversation "
                        + "is remembered), 'memory_search' to look up what Nexus remembers about you; each personality is also a prompt.");
        return result;
    }

    /** Refuses browsers on other origins (DNS rebinding): an Origin header must name this server's host. */
    private static void checkOrigin(Exchange exchange) {
        Optional<String> origin = exchange.header("Origin");
        if (origin.isEmpty() || origin.get().equals("null")) {
            return;
        }
        String host = exchange.header("Host").orElse("");
        try {
            URI uri = URI.create(origin.get());
            String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
            if (!authority.equalsIgnoreCase(host)) {
                throw AccessDeniedException.forbidden("the Origin '" + InvalidInputException.cap(origin.get())
                        + "' is not this server; MCP requests from web pages must come from the same origin");
            }
        } catch (IllegalArgumentException e) {
            throw AccessDeniedException.forbidden("the Origin header is not a URL");
        }
    }

    private static String string(Map<String, Object> params, String name) {
        if (params.get(name) instanceof String text && !text.isBlank()) {
            return text;
        }
        throw new RpcError(-32602, "params." + name + " is required (a string)");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static Map<String, Object> result(Object id, Object result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        body.put("id", id);
        body.put("result", result);
        return body;
    }

    private static Map<String, Object> error(Object id, int code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        body.put("id", id);
        body.put("error", Map.of("code", code, "message", message));
        return body;
    }

    /** A JSON-RPC error with its code. */
    static final class RpcError extends RuntimeException {

        private static final long serialVersionUID = 1L;
        final int code;

        RpcError(int code, String message) {
            super(message);
            this.code = code;
        }
    }
}
