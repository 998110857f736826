package dev.nexus.api.platform;

import java.nio.charset.StandardCharsets;
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

    /** Returns a reply with a JSON body given as text. */
    public static HttpReply json(int status, String json) {
        return new HttpReply(status, "application/json", Map.of(), json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Returns an RFC 9457 problem reply.
     *
     * @param status the HTTP status
     * @param title a short summary, such as "Invalid signature"
     * @param detail what exactly was wrong and how to fix it
     */
    public static HttpReply problem(int status, String title, String detail) {
        String json = "{\"type\":\"about:blank\",\"status\":" + status + ",\"title\":" + quote(title)
                + ",\"detail\":" + quote(detail) + "}";
        return new HttpReply(status, "application/problem+json", Map.of(), json.getBytes(StandardCharsets.UTF_8));
    }

    /** Returns a copy of the body. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
