package dev.nexus.plugin.discord;

import dev.nexus.api.JsonWriter;
import dev.nexus.host.json.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.websocket.WsContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A local stand-in for Discord on 127.0.0.1, speaking its documented wire formats
 * (https://discord.com/developers/docs): REST under {@code /api/v10} ({@code GET /gateway/bot},
 * {@code POST /channels/{id}/messages} with {@code X-RateLimit-*} headers and 429
 * {@code {"message","retry_after","global"}}, interaction follow-ups under {@code /webhooks}) and the
 * Gateway at {@code /gateway}: Hello (op 10), Identify (op 2) → READY, Heartbeat (op 1) → ACK (op 11),
 * Resume (op 6) → the missed dispatches then RESUMED, or Invalid Session (op 9). Sessions keep every
 * dispatch so a resume replays what a client missed. Thread-safe.
 */
final class FakeDiscord implements AutoCloseable {

    static final String TOKEN = "MTA5ODc2NTQzMjEwOTg3NjU0.GhIjKl.abcdefghijklmnopqrstuvwxyz0123";
    static final String BOT_ID = "1098765432109876543";
    static final String BOT_NAME = "nexus";

    /** A gateway payload a client sent, or a REST call. */
    record Call(String what, Map<String, Object> body) {}

    private static final class Session {
        final String id;
        final List<Map<String, Object>> log = new ArrayList<>();
        long seq;
        boolean resumable = true;

        Session(String id) {
            this.id = id;
        }
    }

    private final Javalin app;
    private final long heartbeatMillis;
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private final Deque<Map<String, Object>> sendScript = new ArrayDeque<>();
    private WsContext connection;
    private Session current;
    private long nextId = 2_000_000_000_000_000_000L;
    private int remaining = 5;
    private double resetAfter = 0.001;
    private boolean ackHeartbeats = true;
    private boolean refuseToken;

    FakeDiscord(long heartbeatMillis) {
        this.heartbeatMillis = heartbeatMillis;
        app = Javalin.create(config -> config.showJavalinBanner = false);
        app.get("/api/v10/gateway/bot", ctx -> rest(ctx, "gateway", () -> Map.of("url", wsUrl(), "shards", 1)));
        app.post("/api/v10/channels/{channel}/messages", this::createMessage);
        app.post("/api/v10/webhooks/{application}/{token}", this::followUp);
        app.ws("/gateway", ws -> {
            ws.onConnect(this::opened);
            ws.onMessage(ctx -> received(ctx, ctx.message()));
            ws.onClose(ctx -> closed(ctx));
        });
        app.start("127.0.0.1", 0);
    }

    String apiUrl() {
        return "http://127.0.0.1:" + app.port() + "/api/v10";
    }

    String wsUrl() {
        return "ws://127.0.0.1:" + app.port() + "/gateway";
    }

    // --- controls ---------------------------------------------------------------------------------

    /** Sends a dispatch in the current session (kept for a resume even if no client is connected). */
    synchronized void dispatch(String type, Map<String, Object> data) {
        Session session = current;
        if (session == null) {
            throw new IllegalStateException("no session yet");
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("op", 0);
        payload.put("t", type);
        payload.put("s", ++session.seq);
        payload.put("d", data);
        session.log.add(payload);
        if (connection != null) {
            connection.send(JsonWriter.write(payload));
        }
    }

    /** Drops the connection without a close frame, as a network failure would. */
    synchronized void dropConnection() {
        if (connection != null) {
            connection.session.disconnect();
            connection = null;
        }
    }

    /** Sends op 7 Reconnect. */
    synchronized void askToReconnect() {
        if (connection != null) {
            connection.send("{\"op\":7,\"d\":null}");
        }
    }

    /** Makes the current session impossible to resume. */
    synchronized void expireSession() {
        if (current != null) {
            current.resumable = false;
        }
    }

    synchronized void ackHeartbeats(boolean ack) {
        ackHeartbeats = ack;
    }

    /** Closes every identify with 4004, as for a wrong token. */
    synchronized void refuseToken() {
        refuseToken = true;
    }

    /** The next create-message call answers 429 with {@code retry_after} seconds. */
    synchronized void rateLimitNextSend(double retryAfter) {
        sendScript.add(Map.of("retry_after", retryAfter));
    }

    /** Answers the next create-message call with a bucket that is used up for {@code seconds}. */
    synchronized void exhaustBucket(double seconds) {
        remaining = 0;
        resetAfter = seconds;
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    synchronized List<Call> calls(String what) {
        return calls.stream().filter(c -> c.what().equals(what)).toList();
    }

    /** Messages Discord accepted (created), in order. */
    synchronized List<Call> created() {
        return calls.stream().filter(c -> c.what().startsWith("created ")).toList();
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

    // --- gateway ----------------------------------------------------------------------------------

    private synchronized void opened(WsContext ctx) {
        connection = ctx;
        ctx.send("{\"op\":10,\"d\":{\"heartbeat_interval\":" + heartbeatMillis + "}}");
    }

    private synchronized void closed(WsContext ctx) {
        if (connection != null && connection.sessionId().equals(ctx.sessionId())) {
            connection = null;
        }
        notifyAll();
    }

    private synchronized void received(WsContext ctx, String text) {
        Map<String, Object> payload = Json.readMap(text);
        int op = ((Number) payload.get("op")).intValue();
        @SuppressWarnings("unchecked")
        Map<String, Object> d = payload.get("d") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        calls.add(new Call("op " + op, d));
        notifyAll();
        switch (op) {
            case 1 -> {
                if (ackHeartbeats) {
                    ctx.send("{\"op\":11}");
                }
            }
            case 2 -> {
                if (refuseToken || !TOKEN.equals(d.get("token"))) {
                    ctx.closeSession(4004, "Authentication failed.");
                    return;
                }
                Session session = new Session("session-" + (sessions.size() + 1));
                sessions.put(session.id, session);
                current = session;
                Map<String, Object> ready = new LinkedHashMap<>();
                ready.put("v", 10);
                ready.put("user", Map.of("id", BOT_ID, "username", BOT_NAME, "bot", true));
                ready.put("session_id", session.id);
                ready.put("resume_gateway_url", wsUrl());
                ready.put("guilds", List.of());
                dispatch("READY", ready);
            }
            case 6 -> {
                Session session = sessions.get(String.valueOf(d.get("session_id")));
                if (session == null || !session.resumable || !TOKEN.equals(d.get("token"))) {
                    ctx.send("{\"op\":9,\"d\":false}");
                    return;
                }
                long after = ((Number) d.get("seq")).longValue();
                current = session;
                for (Map<String, Object> missed : session.log) {
                    if (((Number) missed.get("s")).longValue() > after) {
                        ctx.send(JsonWriter.write(missed));
                    }
                }
                dispatch("RESUMED", Map.of());
            }
            default -> {
                // not used by the tests
            }
        }
    }

    // --- REST -------------------------------------------------------------------------------------

    private interface Body {
        Object get();
    }

    private synchronized void rest(Context ctx, String what, Body body) {
        if (!("Bot " + TOKEN).equals(ctx.header("Authorization"))) {
            ctx.status(401).contentType("application/json").result("{\"message\":\"401: Unauthorized\",\"code\":0}");
            return;
        }
        calls.add(new Call(what, Map.of()));
        notifyAll();
        ctx.contentType("application/json").result(JsonWriter.write(body.get()));
    }

    private synchronized void createMessage(Context ctx) {
        if (!("Bot " + TOKEN).equals(ctx.header("Authorization"))) {
            ctx.status(401).contentType("application/json").result("{\"message\":\"401: Unauthorized\",\"code\":0}");
            return;
        }
        Map<String, Object> body = Json.readMap(ctx.body());
        String channel = ctx.pathParam("channel");
        Map<String, Object> scripted = sendScript.poll();
        ctx.header("X-RateLimit-Bucket", "bucket-" + channel);
        ctx.header("X-RateLimit-Limit", "5");
        if (scripted != null) {
            calls.add(new Call("limited " + channel, body));
            notifyAll();
            double after = ((Number) scripted.get("retry_after")).doubleValue();
            ctx.header("X-RateLimit-Remaining", "0")
                    .header("X-RateLimit-Reset-After", Double.toString(after))
                    .header("Retry-After", Long.toString((long) Math.ceil(after)));
            ctx.status(429)
                    .contentType("application/json")
                    .result(JsonWriter.write(
                            Map.of("message", "You are being rate limited.", "retry_after", after, "global", false)));
            return;
        }
        String id = Long.toString(nextId++);
        Map<String, Object> recorded = new LinkedHashMap<>(body);
        recorded.put("_id", id);
        calls.add(new Call("created " + channel, recorded));
        notifyAll();
        ctx.header("X-RateLimit-Remaining", Integer.toString(remaining))
                .header("X-RateLimit-Reset-After", Double.toString(resetAfter));
        remaining = 5;
        resetAfter = 0.001;
        ctx.contentType("application/json")
                .result(JsonWriter.write(Map.of(
                        "id",
                        id,
                        "channel_id",
                        channel,
                        "content",
                        body.get("content"),
                        "author",
                        Map.of("id", BOT_ID, "username", BOT_NAME, "bot", true))));
    }

    private synchronized void followUp(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>(Json.readMap(ctx.body()));
        String id = Long.toString(nextId++);
        body.put("_id", id);
        calls.add(new Call("created followup " + ctx.pathParam("application") + "/" + ctx.pathParam("token"), body));
        notifyAll();
        ctx.contentType("application/json").result(JsonWriter.write(Map.of("id", id, "content", body.get("content"))));
    }

    // --- shapes -----------------------------------------------------------------------------------

    /** A MESSAGE_CREATE's data: in a guild channel when {@code guild} is not null, else a DM. */
    static Map<String, Object> message(
            String id, String channel, String guild, String author, String content, boolean mentionsBot) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", id);
        message.put("channel_id", channel);
        if (guild != null) {
            message.put("guild_id", guild);
        }
        message.put("author", Map.of("id", author, "username", "user" + author, "discriminator", "0"));
        message.put("content", mentionsBot ? "<@" + BOT_ID + "> " + content : content);
        message.put("timestamp", "2026-12-05T12:00:00.000000+00:00");
        message.put("tts", false);
        message.put("mention_everyone", false);
        message.put(
                "mentions", mentionsBot ? List.of(Map.of("id", BOT_ID, "username", BOT_NAME, "bot", true)) : List.of());
        message.put("type", 0);
        return message;
    }

    /** A MESSAGE_REACTION_ADD's data. */
    static Map<String, Object> reaction(String user, String channel, String message, String emoji) {
        return Map.of(
                "user_id",
                user,
                "channel_id",
                channel,
                "message_id",
                message,
                "emoji",
                Map.of("name", emoji),
                "type",
                0);
    }

    @Override
    public void close() {
        app.stop();
    }
}
