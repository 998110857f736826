package dev.nexus.plugin.telegram;

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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * A local stand-in for the Telegram Bot API on 127.0.0.1, speaking its documented wire format
 * (https://core.telegram.org/bots/api): {@code POST /bot<token>/<method>} with JSON, answered
 * {@code {"ok":true,"result":…}} or {@code {"ok":false,"error_code":…,"description":…,"parameters":{…}}}.
 * {@code getUpdates} keeps the queue the way Telegram does: an {@code offset} confirms (drops) every
 * update below it; with nothing pending it holds the request up to {@code timeout} seconds. A wrong token
 * gets 401. {@code sendMessage} answers from a script (e.g. one 429 with {@code retry_after}), then ok.
 * Thread-safe.
 */
final class FakeTelegram implements AutoCloseable {

    static final String TOKEN = "123456:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ";
    static final long BOT_ID = 999;
    static final String BOT_USERNAME = "nexus_test_bot";

    /** A call the fake received: the method and its JSON parameters. */
    record Call(String method, Map<String, Object> parameters) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Call> calls = new ArrayList<>();
    private final Deque<Map<String, Object>> pending = new ArrayDeque<>();
    private final Deque<Map<String, Object>> sendScript = new ArrayDeque<>();
    private long nextUpdate = 1;
    private long nextMessage = 5000;
    private boolean closed;

    FakeTelegram() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    /** The base URL to configure as {@code api-url}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues an update; returns its update_id. */
    synchronized long push(Map<String, Object> content) {
        Map<String, Object> update = new LinkedHashMap<>();
        long id = nextUpdate++;
        update.put("update_id", id);
        update.putAll(content);
        pending.add(update);
        notifyAll();
        return id;
    }

    /** Lets the next {@code successes} sendMessage calls through, then fails one (see {@link #failNextSend}). */
    synchronized void failSendAfter(int successes, int code, String description, long retryAfter) {
        for (int i = 0; i < successes; i++) {
            sendScript.add(Map.of("ok", true));
        }
        failNextSend(code, description, retryAfter);
    }

    /** Makes the next sendMessage fail with HTTP {@code code} and, when positive, {@code retry_after} seconds. */
    synchronized void failNextSend(int code, String description, long retryAfter) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("ok", false);
        error.put("error_code", code);
        error.put("description", description);
        if (retryAfter > 0) {
            error.put("parameters", Map.of("retry_after", retryAfter));
        }
        sendScript.add(error);
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    synchronized List<Call> calls(String method) {
        return calls.stream().filter(call -> call.method().equals(method)).toList();
    }

    /** The texts of sendMessage calls Telegram accepted (ok), in order. */
    synchronized List<Call> delivered() {
        return calls.stream()
                .filter(call ->
                        call.method().equals("sendMessage") && call.parameters().containsKey("_ok"))
                .toList();
    }

    /** Waits until {@code condition} holds (checked whenever the fake is called), or fails after 30 s. */
    void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        synchronized (this) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out waiting until " + what + "; calls: " + calls);
                }
                wait(Math.max(1, Math.min(100, left / 1_000_000)));
            }
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (!path.startsWith("/bot" + TOKEN + "/")) {
            respond(exchange, 401, Map.of("ok", false, "error_code", 401, "description", "Unauthorized"));
            return;
        }
        String method = path.substring(("/bot" + TOKEN + "/").length());
        Map<String, Object> parameters =
                body.length == 0 ? Map.of() : Json.readMap(new String(body, StandardCharsets.UTF_8));
        Map<String, Object> answer;
        int status = 200;
        synchronized (this) {
            Map<String, Object> recorded = new LinkedHashMap<>(parameters);
            calls.add(new Call(method, recorded));
            notifyAll();
            switch (method) {
                case "getMe" ->
                    answer = ok(Map.of("id", BOT_ID, "is_bot", true, "first_name", "Nexus", "username", BOT_USERNAME));
                case "getUpdates" -> answer = ok(updates(parameters));
                case "sendMessage" -> {
                    Map<String, Object> scripted = sendScript.poll();
                    if (scripted != null && !Boolean.TRUE.equals(scripted.get("ok"))) {
                        answer = scripted;
                        status = ((Number) scripted.get("error_code")).intValue();
                    } else {
                        recorded.put("_ok", true);
                        recorded.put("_id", nextMessage);
                        Map<String, Object> sent = new LinkedHashMap<>();
                        sent.put("message_id", nextMessage++);
                        sent.put("chat", Map.of("id", parameters.get("chat_id")));
                        sent.put("date", 1_700_000_000);
                        sent.put("text", parameters.get("text"));
                        answer = ok(sent);
                    }
                }
                case "setWebhook", "deleteWebhook" -> answer = ok(true);
                default -> {
                    answer = Map.of("ok", false, "error_code", 404, "description", "Not Found: method not found");
                    status = 404;
                }
            }
        }
        respond(exchange, status, answer);
    }

    /** Drops confirmed updates, then returns what is pending, holding the request while nothing is. */
    private List<Map<String, Object>> updates(Map<String, Object> parameters) {
        long offset = parameters.get("offset") instanceof Number n ? n.longValue() : 0;
        long timeout = parameters.get("timeout") instanceof Number n ? n.longValue() : 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(timeout).toNanos();
        while (true) {
            pending.removeIf(update -> ((Number) update.get("update_id")).longValue() < offset);
            long left = deadline - System.nanoTime();
            if (!pending.isEmpty() || left <= 0 || closed) {
                return List.copyOf(pending);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
    }

    private static Map<String, Object> ok(Object result) {
        return Map.of("ok", true, "result", result);
    }

    private static void respond(HttpExchange exchange, int status, Map<String, Object> answer) throws IOException {
        byte[] bytes = JsonWriter.write(answer).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A private-chat text message from user {@code from}, as Telegram sends it. */
    static Map<String, Object> privateMessage(long messageId, long from, String text) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("message_id", messageId);
        message.put("from", Map.of("id", from, "is_bot", false, "first_name", "User" + from));
        message.put("chat", Map.of("id", from, "type", "private", "first_name", "User" + from));
        message.put("date", 1_700_000_000);
        message.put("text", text);
        return Map.of("message", message);
    }

    /** A group text message; {@code mention} adds an {@code @bot} mention entity at the start. */
    static Map<String, Object> groupMessage(long chat, long messageId, long from, String text, boolean mention) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("message_id", messageId);
        message.put("from", Map.of("id", from, "is_bot", false, "first_name", "User" + from));
        message.put("chat", Map.of("id", chat, "type", "supergroup", "title", "Friends"));
        message.put("date", 1_700_000_000);
        String full = mention ? "@" + BOT_USERNAME + " " + text : text;
        message.put("text", full);
        if (mention) {
            message.put(
                    "entities", List.of(Map.of("type", "mention", "offset", 0, "length", BOT_USERNAME.length() + 1)));
        }
        return Map.of("message", message);
    }

    /** A {@code message_reaction} update: {@code user} set {@code emoji} on message {@code messageId} of {@code chat}. */
    static Map<String, Object> reaction(long chat, long messageId, long user, String emoji) {
        Map<String, Object> reaction = new LinkedHashMap<>();
        reaction.put("chat", Map.of("id", chat, "type", chat < 0 ? "supergroup" : "private"));
        reaction.put("message_id", messageId);
        reaction.put("user", Map.of("id", user, "is_bot", false, "first_name", "User" + user));
        reaction.put("date", 1_700_000_100);
        reaction.put("old_reaction", List.of());
        reaction.put("new_reaction", List.of(Map.of("type", "emoji", "emoji", emoji)));
        return Map.of("message_reaction", reaction);
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        server.stop(0);
        executor.shutdownNow();
    }
}
