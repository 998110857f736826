package dev.nexus.plugin.discord;

import dev.nexus.api.JsonReader;
import dev.nexus.api.JsonWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls Discord's REST API ({@code Authorization: Bot <token>}) within its rate limits. Each answer's
 * {@code X-RateLimit-Bucket}, {@code -Remaining} and {@code -Reset-After} headers are remembered per
 * route; a call to a route whose bucket is used up comes back at once as {@link Answer.Limited} with the
 * time left, without touching the network. A 429 comes back the same way with its {@code retry_after}
 * (seconds, fractional; {@code global} limits every route). Failures are values; messages never contain
 * the token. Thread-safe; owns one JDK HTTP client until {@link #close()}.
 */
final class Rest implements AutoCloseable {

    /** What a call came to. */
    sealed interface Answer {
        /** 2xx with its JSON body (an empty map for 204). */
        record Ok(Map<?, ?> body) implements Answer {}

        /** Rate limited (by our bucket memory or by a 429): wait {@code after}. */
        record Limited(Duration after, String reason) implements Answer {}

        /** Another 4xx or 5xx, with Discord's {@code message}. */
        record Error(int status, String message) implements Answer {}

        /** No answer (connection, timeout) or not JSON. */
        record Unreachable(String reason) implements Answer {}
    }

    private record Bucket(int remaining, Instant resetAt) {}

    private final String base;
    private final String token;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient client;
    private final Map<String, String> bucketOfRoute = new ConcurrentHashMap<>();
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile Instant globalUntil = Instant.EPOCH;

    Rest(String base, String token, Duration timeout, Clock clock) {
        this.base = base;
        this.token = token;
        this.timeout = timeout;
        this.clock = clock;
        this.client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Calls {@code method path} with a JSON body (or none); {@code route} names the rate-limit route, such
     * as {@code POST /channels/123/messages} (Discord's buckets are per route and major parameter).
     */
    Answer call(String method, String path, Optional<Map<String, ?>> body, boolean authorised) {
        String route = method + " " + path.replaceAll("/webhooks/(\\d+)/[^/]+", "/webhooks/$1/-");
        Instant now = clock.instant();
        if (now.isBefore(globalUntil)) {
            return new Answer.Limited(Duration.between(now, globalUntil), "Discord's global rate limit");
        }
        String bucketId = bucketOfRoute.get(route);
        Bucket bucket = bucketId == null ? null : buckets.get(bucketId);
        if (bucket != null && bucket.remaining() <= 0 && now.isBefore(bucket.resetAt())) {
            return new Answer.Limited(
                    Duration.between(now, bucket.resetAt()), "rate-limit bucket " + bucketId + " is used up");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("User-Agent", "DiscordBot (https://github.com/nexus, 1) nexus-discord");
        if (authorised) {
            request.header("Authorization", "Bot " + token);
        }
        request.method(
                method,
                body.isEmpty()
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JsonWriter.write(body.get()), StandardCharsets.UTF_8));
        body.ifPresent(b -> request.header("Content-Type", "application/json"));
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            return new Answer.Unreachable(route + " got no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return new Answer.Unreachable(
                    route + " failed: " + clean(e.getClass().getSimpleName() + " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer.Unreachable(route + " was interrupted");
        }
        remember(route, response);
        return answer(route, response);
    }

    private void remember(String route, HttpResponse<?> response) {
        Optional<String> bucket = response.headers().firstValue("X-RateLimit-Bucket");
        Optional<String> remaining = response.headers().firstValue("X-RateLimit-Remaining");
        Optional<String> resetAfter = response.headers().firstValue("X-RateLimit-Reset-After");
        if (bucket.isEmpty() || remaining.isEmpty() || resetAfter.isEmpty()) {
            return;
        }
        try {
            Instant resetAt = clock.instant().plus(seconds(resetAfter.get()));
            bucketOfRoute.put(route, bucket.get());
            buckets.put(
                    bucket.get(), new Bucket(Integer.parseInt(remaining.get().strip()), resetAt));
        } catch (NumberFormatException e) {
            // A header we cannot read is ignored: Discord answers 429 if we then go too fast.
        }
    }

    private Answer answer(String route, HttpResponse<String> response) {
        int status = response.statusCode();
        Map<?, ?> json = Map.of();
        if (!response.body().isBlank()) {
            try {
                if (JsonReader.read(response.body()) instanceof Map<?, ?> map) {
                    json = map;
                }
            } catch (IllegalArgumentException e) {
                if (status / 100 == 2) {
                    return new Answer.Unreachable(route + " answered " + status + " without JSON");
                }
            }
        }
        if (status / 100 == 2) {
            return new Answer.Ok(json);
        }
        String message = json.get("message") instanceof String m ? clean(m) : "HTTP " + status;
        if (status == 429) {
            Duration after = json.get("retry_after") instanceof Number n
                    ? seconds(n.toString())
                    : response.headers()
                            .firstValue("Retry-After")
                            .map(Rest::seconds)
                            .orElse(Duration.ofSeconds(1));
            if (Boolean.TRUE.equals(json.get("global"))) {
                globalUntil = clock.instant().plus(after);
            }
            return new Answer.Limited(after, route + " was rate limited: " + message);
        }
        return new Answer.Error(status, message);
    }

    /** Parses Discord's fractional seconds ("1.337") into a duration, rounded up to the millisecond. */
    static Duration seconds(String text) {
        double value = Double.parseDouble(text.strip());
        if (!(value >= 0) || value > 86_400) {
            throw new NumberFormatException("not a delay: " + text);
        }
        return Duration.ofMillis((long) Math.ceil(value * 1000));
    }

    private String clean(String text) {
        String safe = String.valueOf(text).replace(token, "<token>");
        return safe.length() <= 300 ? safe : safe.substring(0, 300) + "…";
    }

    /** The client, for the gateway's WebSocket. */
    HttpClient client() {
        return client;
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
