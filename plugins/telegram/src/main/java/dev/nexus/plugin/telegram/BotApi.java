package dev.nexus.plugin.telegram;

import dev.nexus.api.JsonReader;
import dev.nexus.api.JsonWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Calls Telegram Bot API methods: {@code POST <api-url>/bot<token>/<method>} with a JSON body, answered
 * {@code {"ok":true,"result":…}} or {@code {"ok":false,"error_code":429,"description":"…",
 * "parameters":{"retry_after":3}}}. Failures come back as values; messages never contain the token
 * (it is part of every URL). Thread-safe; owns one JDK HTTP client until {@link #close()}.
 */
final class BotApi implements AutoCloseable {

    /** What a call came to. */
    sealed interface Answer {
        /** {@code ok: true} with its {@code result}. */
        record Ok(Object result) implements Answer {}

        /**
         * {@code ok: false}: Telegram's error code and description, and how long to wait when it says so.
         *
         * @param code the error code (the HTTP status Telegram answered with)
         * @param description Telegram's description, such as "Forbidden: bot was blocked by the user"
         * @param retryAfter {@code parameters.retry_after}, when given (flood control)
         */
        record Error(int code, String description, Optional<Duration> retryAfter) implements Answer {}

        /** The API could not be reached or answered something that is not the Bot API's JSON. */
        record Unreachable(String reason) implements Answer {}
    }

    private final String base;
    private final String token;
    private final Duration requestTimeout;
    private final HttpClient client;

    BotApi(String apiUrl, String token, Duration requestTimeout) {
        this.base = apiUrl + "/bot" + token + "/";
        this.token = token;
        this.requestTimeout = requestTimeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Calls {@code method} with {@code parameters}; {@code extraWait} lengthens the timeout (long polling). */
    Answer call(String method, Map<String, ?> parameters, Duration extraWait) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + method))
                .timeout(requestTimeout.plus(extraWait))
                .header("Content-Type", "application/json")
                .header("User-Agent", "nexus-telegram/1")
                .POST(HttpRequest.BodyPublishers.ofString(JsonWriter.write(parameters), StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            return new Answer.Unreachable(method + " got no answer within "
                    + requestTimeout.plus(extraWait).toMillis() + " ms");
        } catch (IOException e) {
            return new Answer.Unreachable(
                    method + " failed: " + clean(e.getClass().getSimpleName() + " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer.Unreachable(method + " was interrupted");
        }
        return answer(method, response.statusCode(), response.body());
    }

    /** Calls {@code method} with the configured timeout. */
    Answer call(String method, Map<String, ?> parameters) {
        return call(method, parameters, Duration.ZERO);
    }

    private Answer answer(String method, int status, String body) {
        Object parsed;
        try {
            parsed = JsonReader.read(body);
        } catch (IllegalArgumentException e) {
            return new Answer.Unreachable(method + " answered HTTP " + status + " without the Bot API's JSON");
        }
        if (!(parsed instanceof Map<?, ?> json) || !(json.get("ok") instanceof Boolean ok)) {
            return new Answer.Unreachable(method + " answered HTTP " + status + " without an 'ok' field");
        }
        if (ok) {
            return new Answer.Ok(json.get("result"));
        }
        int code = json.get("error_code") instanceof Number n ? n.intValue() : status;
        String description = json.get("description") instanceof String d ? clean(d) : "no description";
        Optional<Duration> retryAfter = Optional.empty();
        if (json.get("parameters") instanceof Map<?, ?> parameters
                && parameters.get("retry_after") instanceof Number seconds) {
            retryAfter = Optional.of(Duration.ofSeconds(Math.max(0, Math.min(seconds.longValue(), 86_400))));
        }
        return new Answer.Error(code, description, retryAfter);
    }

    /** Caps text and removes the token from it, should a library ever echo the URL. */
    private String clean(String text) {
        String safe = String.valueOf(text).replace(token, "<token>");
        return safe.length() <= 300 ? safe : safe.substring(0, 300) + "…";
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
