package dev.nexus.host.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local server speaking three providers' chat wire protocols, each as its public documentation
 * shows it: OpenAI chat completions (JSON, or Server-Sent Events ending in {@code data: [DONE]};
 * tool calls as {@code tool_calls} with string arguments), Ollama's {@code /api/chat} (JSON, or
 * newline-delimited JSON objects ending with {@code "done":true}, streaming unless the request says
 * {@code "stream":false}; tool calls with object arguments) and Anthropic's {@code /v1/messages}
 * (JSON, or SSE with named events {@code message_start}, {@code content_block_start/delta/stop},
 * {@code message_delta}, {@code message_stop}; tool calls as {@code tool_use} blocks whose input is
 * streamed as {@code input_json_delta}). Listens on 127.0.0.1 on a free
 * port. Replies are scripted in order ({@link #enqueue}); when the script is empty it answers with
 * {@link #defaultReply}. Every request is recorded. Thread-safe.
 *
 * <p>Memory's background fact extraction (recognised by its system prompt) is answered with
 * {@code {"facts":[]}} without consuming the script and recorded apart ({@link #factRequests()}):
 * it runs after a turn, at a time no test controls, and must not take a reply scripted for the chat.
 */
public final class FakeOpenAiServer implements AutoCloseable {

    /** One scripted answer. */
    public sealed interface Script {}

    /** A reply: sent as JSON, or as stream chunks when the client asked to stream. */
    public record Reply(List<String> chunks, String finishReason, Duration pauseBetweenChunks) implements Script {}

    /** An HTTP error with a body. */
    public record Failure(int status, String body) implements Script {}

    /** Waits before answering with {@code then} (released early when the server closes). */
    public record Delay(Duration delay, Script then) implements Script {}

    /** Streams {@code chunks} and then drops the connection without finishing. */
    public record Broken(List<String> chunks) implements Script {}

    /** A tool call instead of text (as JSON, or streamed when the client asked to stream); its id is {@code call_1}. */
    public record ToolCall(String name, String arguments) implements Script {}

    /**
     * A recorded request.
     *
     * @param path the request path
     * @param headers header names in lower case
     * @param body the parsed JSON body
     */
    public record Recorded(String path, Map<String, String> headers, Map<String, Object> body) {

        /** Returns the messages array of a chat request. */
        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> messages() {
            return (List<Map<String, Object>>) body.getOrDefault("messages", List.of());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentLinkedQueue<Script> script = new ConcurrentLinkedQueue<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final List<Recorded> factRequests = new CopyOnWriteArrayList<>();
    private volatile String factReply = "{\"facts\":[]}";
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicInteger disconnects = new AtomicInteger();
    private volatile String defaultReply = "Hello from the fake model.";
    private volatile Script defaultScript;

    private FakeOpenAiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a server on a free loopback port. */
    public static FakeOpenAiServer start() {
        try {
            return new FakeOpenAiServer();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake model server", e);
        }
    }

    /** Returns the OpenAI-style base URL, e.g. {@code http://127.0.0.1:12345/v1}. */
    public String baseUrl() {
        return root() + "/v1";
    }

    /** Returns the server root, e.g. {@code http://127.0.0.1:12345} (Ollama's base URL). */
    public String root() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues answers, used in order before the default reply. */
    public FakeOpenAiServer enqueue(Script... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    /** Sets the answer used when the script is empty. */
    public FakeOpenAiServer defaultReply(String text) {
        defaultReply = text;
        return this;
    }

    /** Sets the answer used when the script is empty, e.g. a slow streamed reply; overrides {@link #defaultReply}. */
    public FakeOpenAiServer defaultScript(Script answer) {
        defaultScript = answer;
        return this;
    }

    /** Returns a reply of {@code text}, streamed in the given pieces. */
    public static Reply reply(String... chunks) {
        return new Reply(List.of(chunks), "stop", Duration.ZERO);
    }

    /** Returns an error answer. */
    public static Failure failure(int status, String body) {
        return new Failure(status, body);
    }

    /** Returns the requests received so far, in order, without memory's fact extraction. */
    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    /**
     * Returns the last request received (without memory's fact extraction): the exact body a model
     * was sent, e.g. to compare with a golden file.
     *
     * @throws IllegalStateException when nothing was received yet
     */
    public Recorded lastRequest() {
        if (requests.isEmpty()) {
            throw new IllegalStateException("the fake model server has received no request yet");
        }
        return requests.get(requests.size() - 1);
    }

    /** Sets what fact-extraction requests are answered with (default {@code {"facts":[]}}). */
    public FakeOpenAiServer factReply(String json) {
        this.factReply = json;
        return this;
    }

    /** Returns memory's fact-extraction requests received so far. */
    public List<Recorded> factRequests() {
        return List.copyOf(factRequests);
    }

    /** Returns how often a client went away while a stream was being written. */
    public int disconnects() {
        return disconnects.get();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    /**
     * Answers one request. An {@link IOException} escaping here makes the JDK server drop the
     * connection without ending the response, which is how a broken stream is simulated.
     */
    private void handle(HttpExchange exchange) throws IOException {
        Map<String, Object> body = readBody(exchange);
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders()
                .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
        String path = exchange.getRequestURI().getPath();
        Recorded recorded = new Recorded(path, headers, body);
        if (isFactExtraction(recorded)) {
            factRequests.add(recorded);
            answer(exchange, path, body, reply(factReply));
            exchange.close();
            return;
        }
        requests.add(recorded);
        Script next = script.poll();
        answer(exchange, path, body, next != null ? next : defaultScript != null ? defaultScript : reply(defaultReply));
        exchange.close();
    }

    private static boolean isFactExtraction(Recorded recorded) {
        List<Map<String, Object>> messages = recorded.messages();
        return !messages.isEmpty()
                && "system".equals(messages.get(0).get("role"))
                && String.valueOf(messages.get(0).get("content")).startsWith("You extract durable facts");
    }

    private void answer(HttpExchange exchange, String path, Map<String, Object> body, Script answer)
            throws IOException {
        switch (answer) {
            case Delay delay -> {
                try {
                    closing.await(delay.delay().toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                answer(exchange, path, body, delay.then());
            }
            case Failure failure -> send(exchange, failure.status(), "application/json", failure.body());
            case Broken broken -> breakOff(exchange, body, broken.chunks());
            case ToolCall call
            when path.endsWith("/api/chat") -> {
                if (ollamaStreams(body)) {
                    ollamaStream(exchange, body, List.of(ollamaToolCallMessage(call)), "stop");
                } else {
                    send(
                            exchange,
                            200,
                            "application/json",
                            JSON.writeValueAsString(ollama(body, ollamaToolCallMessage(call), "stop")));
                }
            }
            case ToolCall call
            when path.endsWith("/messages") -> {
                if (Boolean.TRUE.equals(body.get("stream"))) {
                    anthropicStreamToolUse(exchange, body, call);
                } else {
                    send(
                            exchange,
                            200,
                            "application/json",
                            JSON.writeValueAsString(
                                    anthropicMessage(body, List.of(anthropicToolUse(call, true)), "tool_use")));
                }
            }
            case ToolCall call -> {
                if (Boolean.TRUE.equals(body.get("stream"))) {
                    streamToolCall(exchange, body, call);
                } else {
                    send(exchange, 200, "application/json", JSON.writeValueAsString(toolCallCompletion(body, call)));
                }
            }
            case Reply reply -> {
                if (path.endsWith("/api/chat") && ollamaStreams(body)) {
                    List<Map<String, Object>> messages = new ArrayList<>();
                    reply.chunks().forEach(piece -> messages.add(Map.of("role", "assistant", "content", piece)));
                    ollamaStream(exchange, body, messages, reply.finishReason());
                } else if (path.endsWith("/api/chat")) {
                    send(
                            exchange,
                            200,
                            "application/json",
                            JSON.writeValueAsString(ollama(
                                    body,
                                    Map.of("role", "assistant", "content", String.join("", reply.chunks())),
                                    reply.finishReason())));
                } else if (path.endsWith("/messages") && Boolean.TRUE.equals(body.get("stream"))) {
                    anthropicStreamText(exchange, body, reply);
                } else if (path.endsWith("/messages")) {
                    send(
                            exchange,
                            200,
                            "application/json",
                            JSON.writeValueAsString(anthropicMessage(
                                    body,
                                    List.of(Map.of("type", "text", "text", String.join("", reply.chunks()))),
                                    anthropicStop(reply.finishReason()))));
                } else if (Boolean.TRUE.equals(body.get("stream"))) {
                    streamChunks(exchange, body, reply.chunks(), reply.finishReason(), reply.pauseBetweenChunks());
                } else {
                    send(exchange, 200, "application/json", JSON.writeValueAsString(completion(body, reply)));
                }
            }
        }
    }

    private void streamChunks(
            HttpExchange exchange, Map<String, Object> body, List<String> chunks, String finish, Duration pause)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            event(out, chunk(body, Map.of("role", "assistant", "content", ""), null));
            for (String piece : chunks) {
                if (!pause.isZero() && closing.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
                event(out, chunk(body, Map.of("content", piece), null));
            }
            event(out, chunk(body, Map.of(), finish));
            Map<String, Object> usage = new LinkedHashMap<>(chunk(body, Map.of(), null));
            usage.put("choices", List.of());
            usage.put("usage", usage(body, String.join("", chunks)));
            event(out, usage);
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            disconnects.incrementAndGet();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Streams a tool call the way OpenAI does: the call's id and name first, the arguments in a later delta. */
    private void streamToolCall(HttpExchange exchange, Map<String, Object> body, ToolCall call) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            event(
                    out,
                    chunk(
                            body,
                            Map.of(
                                    "role",
                                    "assistant",
                                    "tool_calls",
                                    List.of(Map.of(
                                            "index",
                                            0,
                                            "id",
                                            "call_1",
                                            "type",
                                            "function",
                                            "function",
                                            Map.of("name", call.name(), "arguments", "")))),
                            null));
            event(
                    out,
                    chunk(
                            body,
                            Map.of(
                                    "tool_calls",
                                    List.of(Map.of("index", 0, "function", Map.of("arguments", call.arguments())))),
                            null));
            event(out, chunk(body, Map.of(), "tool_calls"));
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            disconnects.incrementAndGet();
            throw e;
        }
    }

    /**
     * Announces a longer body than it sends, writes the chunks, then drops the connection: the client
     * always sees a truncated response (an error), never a clean end of stream.
     */
    private static void breakOff(HttpExchange exchange, Map<String, Object> body, List<String> chunks)
            throws IOException {
        StringBuilder sent = new StringBuilder("data: "
                + JSON.writeValueAsString(chunk(body, Map.of("role", "assistant", "content", ""), null)) + "\n\n");
        for (String piece : chunks) {
            sent.append("data: ")
                    .append(JSON.writeValueAsString(chunk(body, Map.of("content", piece), null)))
                    .append("\n\n");
        }
        byte[] bytes = sent.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, bytes.length + 10_000L);
        OutputStream out = exchange.getResponseBody();
        out.write(bytes);
        out.flush();
        throw new IOException("scripted broken stream");
    }

    private static void event(OutputStream out, Object data) throws IOException {
        out.write(("data: " + JSON.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static Map<String, Object> chunk(Map<String, Object> body, Map<String, Object> delta, String finish) {
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("delta", delta);
        choice.put("finish_reason", finish);
        Map<String, Object> chunk = new LinkedHashMap<>();
        chunk.put("id", "chatcmpl-fake");
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", 1_700_000_000);
        chunk.put("model", body.getOrDefault("model", "fake"));
        chunk.put("choices", List.of(choice));
        return chunk;
    }

    private static Map<String, Object> completion(Map<String, Object> body, Reply reply) {
        String text = String.join("", reply.chunks());
        return Map.of(
                "id",
                "chatcmpl-fake",
                "object",
                "chat.completion",
                "created",
                1_700_000_000,
                "model",
                body.getOrDefault("model", "fake"),
                "choices",
                List.of(Map.of(
                        "index", 0,
                        "message", Map.of("role", "assistant", "content", text),
                        "finish_reason", reply.finishReason())),
                "usage",
                usage(body, text));
    }

    private static Map<String, Object> toolCallCompletion(Map<String, Object> body, ToolCall call) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "assistant");
        message.put("content", null);
        message.put(
                "tool_calls",
                List.of(Map.of(
                        "id",
                        "call_1",
                        "type",
                        "function",
                        "function",
                        Map.of("name", call.name(), "arguments", call.arguments()))));
        return Map.of(
                "id",
                "chatcmpl-fake",
                "object",
                "chat.completion",
                "created",
                1_700_000_000,
                "model",
                body.getOrDefault("model", "fake"),
                "choices",
                List.of(Map.of("index", 0, "message", message, "finish_reason", "tool_calls")),
                "usage",
                usage(body, ""));
    }

    /** Ollama streams unless the request says {@code "stream": false}. */
    private static boolean ollamaStreams(Map<String, Object> body) {
        return !Boolean.FALSE.equals(body.get("stream"));
    }

    /** One {@code /api/chat} object: the whole answer, or (with {@code done} false) one streamed piece. */
    private static Map<String, Object> ollama(
            Map<String, Object> body, Map<String, Object> message, String doneReason) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("model", body.getOrDefault("model", "fake"));
        answer.put("created_at", "2024-01-01T00:00:00Z");
        answer.put("message", message);
        answer.put("done", doneReason != null);
        if (doneReason != null) {
            answer.put("done_reason", doneReason);
            answer.put("total_duration", 1_000_000);
            answer.put("prompt_eval_count", 7);
            answer.put("eval_count", 3);
        }
        return answer;
    }

    /** An assistant message calling a tool, Ollama style: no id, the arguments as a JSON object. */
    private static Map<String, Object> ollamaToolCallMessage(ToolCall call) throws IOException {
        return Map.of(
                "role",
                "assistant",
                "content",
                "",
                "tool_calls",
                List.of(Map.of(
                        "function",
                        Map.of(
                                "name",
                                call.name(),
                                "arguments",
                                JSON.readValue(call.arguments(), LinkedHashMap.class)))));
    }

    /** Streams newline-delimited JSON: one object per message piece, then an empty one with {@code done: true}. */
    private void ollamaStream(
            HttpExchange exchange, Map<String, Object> body, List<Map<String, Object>> pieces, String doneReason)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            for (Map<String, Object> piece : pieces) {
                line(out, ollama(body, piece, null));
            }
            line(out, ollama(body, Map.of("role", "assistant", "content", ""), doneReason));
        } catch (IOException e) {
            disconnects.incrementAndGet();
            throw e;
        }
    }

    private static void line(OutputStream out, Object data) throws IOException {
        out.write((JSON.writeValueAsString(data) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** A whole Anthropic message with {@code content} blocks. */
    private static Map<String, Object> anthropicMessage(
            Map<String, Object> body, List<Map<String, Object>> content, String stopReason) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", "msg_fake");
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", body.getOrDefault("model", "fake"));
        message.put("content", content);
        message.put("stop_reason", stopReason);
        message.put("stop_sequence", null);
        message.put("usage", Map.of("input_tokens", 7, "output_tokens", 3));
        return message;
    }

    /** A {@code tool_use} block; streamed blocks start with an empty input that deltas fill in. */
    private static Map<String, Object> anthropicToolUse(ToolCall call, boolean withInput) throws IOException {
        return Map.of(
                "type",
                "tool_use",
                "id",
                "call_1",
                "name",
                call.name(),
                "input",
                withInput ? JSON.readValue(call.arguments(), LinkedHashMap.class) : Map.of());
    }

    /** OpenAI's finish reasons in Anthropic's words. */
    private static String anthropicStop(String finishReason) {
        return switch (finishReason) {
            case "length" -> "max_tokens";
            case "tool_calls" -> "tool_use";
            default -> "end_turn";
        };
    }

    private void anthropicStreamText(HttpExchange exchange, Map<String, Object> body, Reply reply) throws IOException {
        OutputStream out = anthropicStart(exchange, body);
        try {
            named(
                    out,
                    "content_block_start",
                    Map.of(
                            "type",
                            "content_block_start",
                            "index",
                            0,
                            "content_block",
                            Map.of("type", "text", "text", "")));
            named(out, "ping", Map.of("type", "ping"));
            for (String piece : reply.chunks()) {
                if (!reply.pauseBetweenChunks().isZero()
                        && closing.await(reply.pauseBetweenChunks().toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
                named(
                        out,
                        "content_block_delta",
                        Map.of(
                                "type",
                                "content_block_delta",
                                "index",
                                0,
                                "delta",
                                Map.of("type", "text_delta", "text", piece)));
            }
            anthropicEnd(out, anthropicStop(reply.finishReason()));
        } catch (IOException e) {
            disconnects.incrementAndGet();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Streams a tool call the way Anthropic does: the block with an empty input, then the input as partial JSON. */
    private void anthropicStreamToolUse(HttpExchange exchange, Map<String, Object> body, ToolCall call)
            throws IOException {
        OutputStream out = anthropicStart(exchange, body);
        try {
            named(
                    out,
                    "content_block_start",
                    Map.of("type", "content_block_start", "index", 0, "content_block", anthropicToolUse(call, false)));
            String json = call.arguments();
            int half = json.length() / 2;
            for (String part : List.of(json.substring(0, half), json.substring(half))) {
                named(
                        out,
                        "content_block_delta",
                        Map.of(
                                "type",
                                "content_block_delta",
                                "index",
                                0,
                                "delta",
                                Map.of("type", "input_json_delta", "partial_json", part)));
            }
            anthropicEnd(out, "tool_use");
        } catch (IOException e) {
            disconnects.incrementAndGet();
            throw e;
        }
    }

    private static OutputStream anthropicStart(HttpExchange exchange, Map<String, Object> body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        Map<String, Object> message = new LinkedHashMap<>(anthropicMessage(body, List.of(), null));
        message.put("usage", Map.of("input_tokens", 7, "output_tokens", 1));
        named(out, "message_start", Map.of("type", "message_start", "message", message));
        return out;
    }

    private static void anthropicEnd(OutputStream out, String stopReason) throws IOException {
        named(out, "content_block_stop", Map.of("type", "content_block_stop", "index", 0));
        Map<String, Object> delta = new LinkedHashMap<>();
        delta.put("stop_reason", stopReason);
        delta.put("stop_sequence", null);
        named(
                out,
                "message_delta",
                Map.of("type", "message_delta", "delta", delta, "usage", Map.of("output_tokens", 3)));
        named(out, "message_stop", Map.of("type", "message_stop"));
    }

    /** One Server-Sent Event with an event name, as Anthropic sends them. */
    private static void named(OutputStream out, String event, Object data) throws IOException {
        out.write(("event: " + event + "\ndata: " + JSON.writeValueAsString(data) + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static Map<String, Object> usage(Map<String, Object> body, String text) {
        int prompt = body.toString().length() / 4;
        int completion = Math.max(1, text.length() / 4);
        return Map.of("prompt_tokens", prompt, "completion_tokens", completion, "total_tokens", prompt + completion);
    }

    private static void send(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readBody(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        if (bytes.length == 0) {
            return Map.of();
        }
        return JSON.readValue(bytes, LinkedHashMap.class);
    }

    /** Returns the recorded requests' paths; for assertion messages. */
    List<String> paths() {
        List<String> paths = new ArrayList<>();
        requests.forEach(request -> paths.add(request.path()));
        return paths;
    }
}
