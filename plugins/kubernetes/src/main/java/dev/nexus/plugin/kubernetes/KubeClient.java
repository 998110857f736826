package dev.nexus.plugin.kubernetes;

import dev.nexus.api.JsonReader;
import dev.nexus.api.JsonWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The Kubernetes REST API over the JDK HTTP client: JSON in and out, a bearer token, and the API
 * server's {@code Status} failures turned into {@link KubeException}s (404 not found, 409 conflict
 * (retriable: someone changed the object meanwhile), 401/403 refused, 422 invalid, 5xx and network
 * errors retriable). The token never appears in a message. Thread-safe.
 */
final class KubeClient {

    private final KubeSettings settings;
    private HttpClient http; // null until the first call

    KubeClient(KubeSettings settings) {
        this.settings = settings;
    }

    /**
     * The HTTP client, built on the first call rather than at start: every tool of the plugin has a
     * client, most hosts never call one, and each built client costs a selector thread and start-up time.
     */
    private synchronized HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
            http = client;
        }
        return client;
    }

    Map<String, Object> get(String path) {
        return send("GET", path, Optional.empty());
    }

    Map<String, Object> post(String path, Map<String, Object> body) {
        return send("POST", path, Optional.of(body));
    }

    Map<String, Object> put(String path, Map<String, Object> body) {
        return send("PUT", path, Optional.of(body));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> send(String method, String path, Optional<Map<String, Object>> body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(settings.api().orElseThrow() + path))
                .timeout(settings.timeout())
                .header("Accept", "application/json");
        settings.token().ifPresent(token -> request.header("Authorization", "Bearer " + token));
        if (body.isPresent()) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JsonWriter.write(body.get())));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http().send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new KubeException(
                    "the API server did not answer " + method + " " + path + " within "
                            + settings.timeout().toMillis() + " ms",
                    true);
        } catch (IOException e) {
            throw new KubeException(
                    "cannot reach the API server at " + settings.api().orElseThrow() + ": " + e.getMessage(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubeException("interrupted while calling the API server", true);
        }
        Object parsed;
        try {
            parsed = response.body() == null || response.body().isBlank() ? Map.of() : JsonReader.read(response.body());
        } catch (IllegalArgumentException e) {
            parsed = Map.of();
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300 && parsed instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        String message = parsed instanceof Map<?, ?> map && map.get("message") instanceof String m ? m : "";
        String where = method + " " + path;
        throw switch (status) {
            case 401, 403 ->
                new KubeException(
                        "the API server refused " + where + " (" + status + (message.isEmpty() ? "" : ": " + message)
                                + "); check the token's permissions (NEXUS_SECRET_KUBERNETES_TOKEN)",
                        false);
            case 404 ->
                new KubeException("not found: " + where + (message.isEmpty() ? "" : " (" + message + ")"), false);
            case 409 ->
                new KubeException(
                        "conflict on " + where + (message.isEmpty() ? "" : ": " + message) + "; try again", true);
            case 422, 400 ->
                new KubeException(
                        "the API server refused " + where + " as invalid (" + status
                                + (message.isEmpty() ? "" : ": " + message) + ")",
                        false);
            default ->
                new KubeException(
                        "the API server answered " + status + " for " + where
                                + (message.isEmpty() ? "" : ": " + message),
                        status >= 500 || status == 429);
        };
    }
}
