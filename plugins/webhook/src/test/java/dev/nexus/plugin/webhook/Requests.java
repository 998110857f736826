package dev.nexus.plugin.webhook;

import dev.nexus.api.platform.HttpInbound;
import dev.nexus.host.platform.HookRequests;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Builds inbound webhook requests the way a well-behaved sender signs them. */
final class Requests {

    static final String KEY = "test-signing-key-0123456789abcdef-0123";
    static final String OTHER_KEY = "another-key-that-is-long-enough-0123456789";

    private Requests() {}

    static String body(String id) {
        return "{\"id\":\"" + id
                + "\",\"user\":\"ada\",\"personality\":\"stoic-mentor\",\"text\":\"How do I stay calm?\"}";
    }

    static HttpInbound signed(String body, Instant at) {
        return signed(body, at, KEY);
    }

    static HttpInbound signed(String body, Instant at, String key) {
        return signed("/", body, at, key);
    }

    /** Returns a reaction body on the reply {@code reply} with the given extra JSON members (e.g. {@code "thumbs":"up"}). */
    static String reaction(String id, String reply, String signal) {
        return "{\"id\":\"" + id + "\",\"user\":\"ada\",\"reply\":\"" + reply + "\""
                + (signal.isEmpty() ? "" : "," + signal) + "}";
    }

    /** Signs {@code body} as a reaction, posted to {@code /hooks/webhook/reactions}. */
    static HttpInbound signedReaction(String body, Instant at) {
        return signed("/reactions", body, at, KEY);
    }

    static HttpInbound signed(String path, String body, Instant at, String key) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        long timestamp = at.getEpochSecond();
        return HookRequests.of(
                "POST",
                path,
                Map.of(
                        "Content-Type", List.of("application/json"),
                        "X-Nexus-Timestamp", List.of(Long.toString(timestamp)),
                        "X-Nexus-Signature",
                                List.of(Signatures.sign(key.getBytes(StandardCharsets.UTF_8), timestamp, bytes))),
                bytes);
    }

    static HttpInbound withHeaders(Map<String, List<String>> headers, String body) {
        return HookRequests.of("POST", "/", headers, body.getBytes(StandardCharsets.UTF_8));
    }
}
