package dev.nexus.api.platform;

import dev.nexus.api.Experimental;
import dev.nexus.api.JsonWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A connector's answer to an {@link HttpInbound}. Immutable.
 *
 * @param status the HTTP status, 100–599
 * @param contentType the media type of the body
 * @param headers extra response headers
 * @param body the body bytes
 */
public record HttpReply(int status, String contentType, Map<String, String> headers, byte[] body) {

    /** Validates the status and copies the values. */
    public HttpReply {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status must be 100-599, got " + status);
        }
        contentType = contentType == null ? "application/octet-stream" : contentType;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        body = body == null ? new byte[0] : body.clone();
    }

    /** Returns a reply with a JSON body given as text; prefer {@link #json(int, Map)}, which cannot produce invalid JSON. */
    public static HttpReply json(int status, String json) {
        return new HttpReply(status, "application/json", Map.of(), json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Returns a reply whose JSON body is {@code object} (written by {@link JsonWriter}: maps, lists,
     * strings, numbers, booleans, null; keys in the map's order).
     *
     * @throws IllegalArgumentException for a value JSON cannot hold
     */
    public static HttpReply json(int status, Map<String, ?> object) {
        return json(status, JsonWriter.write(object));
    }

    /**
     * Returns an RFC 9457 problem reply.
     *
     * @param status the HTTP status
     * @param title a short summary, such as "Invalid signature"
     * @param detail what exactly was wrong and how to fix it
     */
    public static HttpReply problem(int status, String title, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("status", status);
        problem.put("title", title);
        problem.put("detail", detail);
        return new HttpReply(
                status,
                "application/problem+json",
                Map.of(),
                JsonWriter.write(problem).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Returns this reply with one more header (replacing a header of that name), e.g.
     * {@code HttpReply.problem(405, …).withHeader("Allow", "POST")} or
     * {@code HttpReply.problem(503, …).withHeader("Retry-After", "5")}.
     */
    @Experimental
    public HttpReply withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
        more.put(name, value);
        return new HttpReply(status, contentType, more, body);
    }

    /** Returns a copy of the body. */
    @Override
    public byte[] body() {
        return body.clone();
    }
}
