package dev.nexus.plugin.httpfetch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on 127.0.0.1 and a free port, with the pages the http-fetch tests need. The
 * {@code /stall} and {@code /drip} pages hold their connection until {@link #close()}.
 */
final class LocalServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);

    LocalServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext(
                "/hello", exchange -> reply(exchange, 200, "text/plain; charset=utf-8", "Hello, Nexus! ✓"));
        server.createContext("/json", exchange -> reply(exchange, 200, "application/json", "{\"answer\":42}"));
        server.createContext("/latin1", exchange -> {
            byte[] body = "café".getBytes(StandardCharsets.ISO_8859_1);
            send(exchange, 200, "text/plain; charset=ISO-8859-1", body);
        });
        server.createContext("/big", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                byte[] chunk = "0123456789".repeat(1000).getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < 100; i++) {
                    out.write(chunk);
                }
            } catch (IOException clientWentAway) {
                // the tool cancels after its limit; that is the point
            }
        });
        server.createContext(
                "/image", exchange -> send(exchange, 200, "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'}));
        server.createContext("/status/", exchange -> {
            int status = Integer.parseInt(exchange.getRequestURI().getPath().substring("/status/".length()));
            reply(exchange, status, "text/plain", "status " + status);
        });
        server.createContext("/redirect/", exchange -> {
            String target = exchange.getRequestURI().getRawQuery();
            exchange.getResponseHeaders()
                    .set("Location", target == null ? "" : java.net.URLDecoder.decode(target, StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/loop", exchange -> {
            exchange.getResponseHeaders().set("Location", "/loop");
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        server.createContext("/stall", exchange -> {
            awaitRelease();
            reply(exchange, 200, "text/plain", "too late");
        });
        server.createContext("/drip", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("first bytes".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                awaitRelease();
            } catch (IOException clientWentAway) {
                // expected once the tool gives up
            }
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
        send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
