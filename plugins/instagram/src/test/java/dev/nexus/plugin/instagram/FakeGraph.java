package dev.nexus.plugin.instagram;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local Graph API for Instagram content publishing, speaking the documented wire shapes: form
 * parameters with {@code access_token}; {@code POST /{ig-user-id}/media} answers {@code {"id"}} of a
 * container, {@code GET /{container}?fields=status_code} answers {@code IN_PROGRESS} once and then
 * {@code FINISHED}, {@code POST /{ig-user-id}/media_publish} publishes it, {@code GET
 * /{ig-user-id}/content_publishing_limit} answers {@code {"data": [{"quota_usage", "config": {"quota_total",
 * "quota_duration"}}]}}, {@code POST /{comment}/replies} replies; errors as {@code {"error": {"message",
 * "type", "code"}}}. Records every call. Thread-safe.
 */
final class FakeGraph implements AutoCloseable {

    static final String TOKEN = "IGQVJ-test-access-token";
    static final String ACCOUNT = "17841400000000001";

    record Call(String method, String path, Map<String, String> parameters) {}

    private final HttpServer server;
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, Integer> statusPolls = new LinkedHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private int quotaUsage;

    FakeGraph() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v21.0";
    }

    synchronized void quotaUsage(int used) {
        quotaUsage = used;
    }

    synchronized List<Call> calls(String suffix) {
        return calls.stream().filter(c -> c.path().endsWith(suffix)).toList();
    }

    synchronized int published() {
        return calls("/media_publish").size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath().replaceFirst("^/v21\\.0", "");
        String raw = method.equals("GET")
                ? exchange.getRequestURI().getRawQuery()
                : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> parameters = form(raw == null ? "" : raw);
        int status = 200;
        String body;
        synchronized (this) {
            calls.add(new Call(method, path, parameters));
            if (!TOKEN.equals(parameters.get("access_token"))) {
                status = 400;
                body =
                        "{\"error\":{\"message\":\"Invalid OAuth access token - Cannot parse access token\",\"type\":\"OAuthException\","
                                + "\"code\":190,\"fbtrace_id\":\"AbCdEf\"}}";
            } else if (method.equals("POST") && path.equals("/" + ACCOUNT + "/media")) {
                body = "{\"id\":\"1790" + ids.incrementAndGet() + "\"}";
            } else if (method.equals("GET") && path.equals("/" + ACCOUNT + "/content_publishing_limit")) {
                body = "{\"data\":[{\"quota_usage\":" + quotaUsage
                        + ",\"config\":{\"quota_total\":25,\"quota_duration\":86400}}]}";
            } else if (method.equals("POST") && path.equals("/" + ACCOUNT + "/media_publish")) {
                quotaUsage++;
                body = "{\"id\":\"1791" + ids.incrementAndGet() + "\"}";
            } else if (method.equals("POST") && path.endsWith("/replies")) {
                body = "{\"id\":\"1792" + ids.incrementAndGet() + "\"}";
            } else if (method.equals("GET") && "status_code".equals(parameters.get("fields"))) {
                int polls = statusPolls.merge(path, 1, Integer::sum);
                body = "{\"status_code\":\"" + (polls == 1 ? "IN_PROGRESS" : "FINISHED") + "\",\"id\":\""
                        + path.substring(1) + "\"}";
            } else {
                status = 400;
                body =
                        "{\"error\":{\"message\":\"Unsupported request\",\"type\":\"GraphMethodException\",\"code\":100}}";
            }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                map.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return map;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
