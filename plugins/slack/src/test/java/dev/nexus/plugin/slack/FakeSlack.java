package dev.nexus.plugin.slack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nexus.api.JsonWriter;
import dev.nexus.host.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A local stand-in for Slack's Web API {@code chat.postMessage} on 127.0.0.1 (https://api.slack.com/methods/chat.postMessage):
 * JSON in with {@code Authorization: Bearer}, {@code {"ok":true,"channel","ts","message"}} out, or HTTP 429 with
 * {@code Retry-After} when scripted; and signs Events API requests the way Slack does. Thread-safe.
 */
final class FakeSlack implements AutoCloseable {

    static final String TOKEN = "xoxb-1234567890-0987654321-abcdefABCDEF";
    static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    static final String BOT_USER = "U0BOT";

    record Call(Map<String, Object> body, boolean ok) {}

    private final HttpServer server;
    private final List<Call> calls = new ArrayList<>();
    private int limitNext;
    private long retryAfter;
    private long nextTs = 1_700_000_100;

    FakeSlack() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/chat.postMessage", this::post);
        server.start();
    }

    String apiUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
    }

    synchronized void rateLimitNext(long seconds) {
        limitNext++;
        retryAfter = seconds;
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    synchronized List<Call> posted() {
        return calls.stream().filter(Call::ok).toList();
    }

    void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        synchronized (this) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out waiting until " + what + "; calls: " + calls);
                }
                wait(Math.max(1, Math.min(50, left / 1_000_000)));
            }
        }
    }

    private void post(HttpExchange exchange) throws IOException {
        Map<String, Object> body =
                Json.readMap(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        int status = 200;
        Map<String, Object> answer;
        synchronized (this) {
            if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer = Map.of("ok", false, "error", "invalid_auth");
                calls.add(new Call(body, false));
            } else if (limitNext > 0) {
                limitNext--;
                status = 429;
                exchange.getResponseHeaders().add("Retry-After", Long.toString(retryAfter));
                answer = Map.of("ok", false, "error", "ratelimited");
                calls.add(new Call(body, false));
            } else {
                String ts = (nextTs++) + ".000200";
                Map<String, Object> recorded = new LinkedHashMap<>(body);
                recorded.put("_ts", ts);
                calls.add(new Call(recorded, true));
                answer = Map.of(
                        "ok",
                        true,
                        "channel",
                        body.get("channel"),
                        "ts",
                        ts,
                        "message",
                        Map.of("type", "message", "text", body.get("text"), "user", BOT_USER, "ts", ts));
            }
            notifyAll();
        }
        byte[] bytes = JsonWriter.write(answer).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** An event_callback envelope around {@code event}, as Slack sends it. */
    static String envelope(String eventId, Map<String, Object> event) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("token", "legacy-verification-token");
        envelope.put("team_id", "T0001");
        envelope.put("api_app_id", "A0001");
        envelope.put("event", event);
        envelope.put("type", "event_callback");
        envelope.put("event_id", eventId);
        envelope.put("event_time", 1_700_000_000);
        envelope.put(
                "authorizations",
                List.of(Map.of(
                        "enterprise_id",
                        "",
                        "team_id",
                        "T0001",
                        "user_id",
                        BOT_USER,
                        "is_bot",
                        true,
                        "is_enterprise_install",
                        false)));
        return JsonWriter.write(envelope);
    }

    /** A message event; {@code threadTs} null for a top-level message. */
    static Map<String, Object> message(
            String channel, String channelType, String user, String ts, String threadTs, String text) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "message");
        event.put("channel", channel);
        event.put("user", user);
        event.put("text", text);
        event.put("ts", ts);
        if (threadTs != null) {
            event.put("thread_ts", threadTs);
        }
        event.put("event_ts", ts);
        event.put("channel_type", channelType);
        return event;
    }

    /** The v0 signature Slack puts in X-Slack-Signature. */
    static String sign(long timestamp, byte[] body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(
                    new javax.crypto.spec.SecretKeySpec(SIGNING_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return "v0=" + java.util.HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
