package dev.nexus.plugin.instagram;

import dev.nexus.api.JsonReader;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The few Graph API calls the connector makes, over the JDK's HttpClient: form-encoded POSTs and GETs
 * with the access token as a parameter, JSON answers, and Graph errors
 * ({@code {"error": {"message", "type", "code"}}}) turned into a {@link Failure} that says whether a retry
 * may help (rate limits: codes 4, 17, 32, 613; server errors). Never puts the token in a message. Thread-safe.
 */
final class GraphApi {

    /** A failed call: the Graph error's message and code, and whether trying again later may succeed. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean retriable;

        Failure(String message, boolean retriable) {
            super(message);
            this.retriable = retriable;
        }

        boolean retriable() {
            return retriable;
        }
    }

    private final HttpClient client;
    private final String base;
    private final String token;
    private final Duration timeout;

    GraphApi(String base, String token, Duration timeout) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
        this.timeout = timeout;
    }

    Map<String, Object> get(String path, Map<String, String> parameters) {
        Map<String, String> all = new LinkedHashMap<>(parameters);
        all.put("access_token", token);
        return call(
                HttpRequest.newBuilder(URI.create(base + path + "?" + form(all)))
                        .GET(),
                path);
    }

    Map<String, Object> post(String path, Map<String, String> parameters) {
        Map<String, String> all = new LinkedHashMap<>(parameters);
        all.put("access_token", token);
        return call(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form(all))),
                path);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> call(HttpRequest.Builder request, String path) {
        HttpResponse<String> response;
        try {
            response = client.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failure(
                    "Graph API " + path + " unreachable: " + e.getClass().getSimpleName(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while calling the Graph API", true);
        }
        Object parsed;
        try {
            parsed = JsonReader.read(response.body());
        } catch (RuntimeException e) {
            throw new Failure(
                    "Graph API " + path + " answered " + response.statusCode() + " with a body that is not JSON",
                    response.statusCode() >= 500);
        }
        Map<String, Object> body = parsed instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
        if (body.get("error") instanceof Map<?, ?> error) {
            int code = error.get("code") instanceof Number n ? n.intValue() : 0;
            boolean rateLimited = code == 4 || code == 17 || code == 32 || code == 613 || response.statusCode() == 429;
            throw new Failure(
                    "Graph API " + path + " error " + code + ": " + error.get("message"),
                    rateLimited || response.statusCode() >= 500 || Boolean.TRUE.equals(error.get("is_transient")));
        }
        if (response.statusCode() >= 300) {
            throw new Failure("Graph API " + path + " answered " + response.statusCode(), response.statusCode() >= 500);
        }
        return body;
    }

    private static String form(Map<String, String> parameters) {
        return parameters.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
