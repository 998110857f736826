package dev.nexus.plugin.webhook;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on 127.0.0.1 and a free port that receives webhook callbacks, records every
 * request and answers with scripted statuses (204 when nothing is scripted). A scripted status of 0
 * holds the request until {@link #close()}, to provoke client timeouts. Thread-safe.
 */
final class CallbackServer implements AutoCloseable {

    /** One received request. */
    record Received(String method, String path, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private record Answer(int status, Map<String, String> headers) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Received> received = new ArrayList<>();
    private final Deque<Answer> script = new ArrayDeque<>();

    CallbackServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Answer answer;
            synchronized (this) {
                received.add(new Received(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(),
                        Map.copyOf(exchange.getRequestHeaders()),
                        body));
                answer = script.isEmpty() ? new Answer(204, Map.of()) : script.poll();
            }
            if (answer.status == 0) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            answer.headers.forEach(
                    (name, value) -> exchange.getResponseHeaders().set(name, value));
            byte[] reply = ("status " + answer.status).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status, answer.status == 204 ? -1 : reply.length);
            if (answer.status != 204) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply);
                }
            }
            exchange.close();
        });
        server.start();
    }

    /** Answers the next request with {@code status} and {@code headers}. */
    synchronized CallbackServer thenAnswer(int status, Map<String, String> headers) {
        script.add(new Answer(status, headers));
        return this;
    }

    /** Answers the next request with {@code status}. */
    CallbackServer thenAnswer(int status) {
        return thenAnswer(status, Map.of());
    }

    /** Holds the next request without answering until the server closes. */
    CallbackServer thenStall() {
        return thenAnswer(0, Map.of());
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
