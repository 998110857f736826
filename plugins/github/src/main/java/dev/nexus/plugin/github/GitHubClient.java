package dev.nexus.plugin.github;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub's REST API v3 over the JDK HTTP client: JSON in and out, pages followed through the
 * {@code Link} header, and GitHub's failures turned into {@link GitHubException}s that say what to do:
 * 401 (token), 404 (not found or not visible to the token), 422 (validation, with GitHub's field
 * errors), primary and secondary rate limits (403/429 with {@code Retry-After} or an exhausted
 * {@code X-RateLimit-Remaining}: a short wait is waited out once, a longer one fails retriably),
 * 5xx and network errors (retriable). The token is sent as a bearer token and never appears in a
 * message. Thread-safe.
 */
final class GitHubClient {

    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");
    private static final String API_VERSION = "2022-11-28";

    private final GitHubSettings settings;
    private HttpClient http; // null until the first call

    GitHubClient(GitHubSettings settings) {
        this.settings = settings;
    }

    /**
     * The HTTP client, built on the first call rather than at start: each of the plugin's tools has a
     * client, most hosts never call one, and building one (TLS set-up, a selector thread) cost start-up
     * time on the host's main thread.
     */
    private synchronized HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            client = HttpClient.newBuilder()
                    .connectTimeout(settings.timeout())
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
            http = client;
        }
        return client;
    }

    /** GETs {@code path} (e.g. {@code /repos/o/r}) and returns the parsed answer. */
    Object get(String path) {
        return send("GET", settings.api().toString() + path, Optional.empty()).body();
    }

    /** Sends {@code body} as JSON with {@code method} to {@code path} and returns the parsed answer. */
    Object send(String method, String path, Map<String, Object> body) {
        return send(method, settings.api().toString() + path, Optional.of(JsonWriter.write(body)))
                .body();
    }

    /** GETs every page of the list at {@code path}, following {@code Link: rel="next"}, up to {@code max} items. */
    List<Object> list(String path, int max) {
        List<Object> items = new ArrayList<>();
        String url =
                settings.api().toString() + path + (path.contains("?") ? "&" : "?") + "per_page=" + Math.min(100, max);
        for (int page = 0; url != null && items.size() < max && page < 50; page++) {
            Answer answer = send("GET", url, Optional.empty());
            if (!(answer.body() instanceof List<?> list)) {
                throw new GitHubException("GitHub answered " + url + " with something that is not a list", false);
            }
            for (Object item : list) {
                if (items.size() < max) {
                    items.add(item);
                }
            }
            url = answer.next().orElse(null);
        }
        return items;
    }

    private record Answer(Object body, Optional<String> next) {}

    private Answer send(String method, String url, Optional<String> body) {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = exchange(method, url, body);
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                String text = response.body();
                try {
                    Object parsed = text == null || text.isBlank() ? Map.of() : JsonReader.read(text);
                    return new Answer(
                            parsed, response.headers().firstValue("link").flatMap(GitHubClient::next));
                } catch (IllegalArgumentException e) {
                    throw new GitHubException(
                            "GitHub's answer to " + method + " " + path(url) + " is not JSON (" + e.getMessage() + ")",
                            true);
                }
            }
            Optional<Duration> wait = rateLimitWait(response);
            if (wait.isPresent()) {
                if (attempt == 1 && wait.get().compareTo(settings.maxWait()) <= 0) {
                    sleep(wait.get());
                    continue;
                }
                throw new GitHubException(
                        "GitHub's rate limit was reached (" + status + "); retry after "
                                + wait.get().toSeconds() + " s",
                        true);
            }
            throw failure(method, url, response);
        }
    }

    private HttpResponse<String> exchange(String method, String url, Optional<String> body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(settings.timeout())
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", API_VERSION)
                .header("User-Agent", "nexus-github-plugin");
        settings.token().ifPresent(token -> request.header("Authorization", "Bearer " + token));
        if (body.isPresent()) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.get()));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return http().send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new GitHubException(
                    "GitHub did not answer " + method + " " + path(url) + " within "
                            + settings.timeout().toMillis() + " ms",
                    true);
        } catch (IOException e) {
            throw new GitHubException("cannot reach GitHub at " + settings.api() + ": " + e.getMessage(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitHubException("interrupted while calling GitHub", true);
        }
    }

    /** A rate limit's wait: Retry-After (secondary limits), or the reset time when no requests remain (primary). */
    private static Optional<Duration> rateLimitWait(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status != 403 && status != 429) {
            return Optional.empty();
        }
        Optional<String> retryAfter = response.headers().firstValue("retry-after");
        if (retryAfter.isPresent()) {
            try {
                return Optional.of(Duration.ofSeconds(
                        Math.max(0, Long.parseLong(retryAfter.get().strip()))));
            } catch (NumberFormatException e) {
                return Optional.of(Duration.ofSeconds(60));
            }
        }
        if ("0".equals(response.headers().firstValue("x-ratelimit-remaining").orElse(""))) {
            long reset = response.headers()
                    .firstValue("x-ratelimit-reset")
                    .map(Long::parseLong)
                    .orElse(0L);
            long now = System.currentTimeMillis() / 1000;
            return Optional.of(Duration.ofSeconds(Math.max(1, reset - now)));
        }
        return status == 429 ? Optional.of(Duration.ofSeconds(60)) : Optional.empty();
    }

    private static GitHubException failure(String method, String url, HttpResponse<String> response) {
        int status = response.statusCode();
        String message = "";
        Object body = null;
        try {
            body = JsonReader.read(response.body());
            if (body instanceof Map<?, ?> map && map.get("message") instanceof String m) {
                message = m;
            }
        } catch (IllegalArgumentException e) {
            // not JSON: the status says enough
        }
        String where = method + " " + path(url);
        return switch (status) {
            case 401 ->
                new GitHubException(
                        "GitHub refused the token (401" + (message.isEmpty() ? "" : ": " + message)
                                + "); set a valid one in NEXUS_SECRET_GITHUB_TOKEN",
                        false);
            case 403 ->
                new GitHubException(
                        "GitHub refused " + where + " (403" + (message.isEmpty() ? "" : ": " + message)
                                + "); the token lacks the permission",
                        false);
            case 404 ->
                new GitHubException(
                        "GitHub answered 404 for " + where + ": it does not exist, or the token cannot see it", false);
            case 409 ->
                new GitHubException(
                        "GitHub reported a conflict for " + where + " (409" + (message.isEmpty() ? "" : ": " + message)
                                + ")",
                        false);
            case 422 ->
                new GitHubException(
                        "GitHub refused " + where + " as invalid (422 "
                                + (message.isEmpty() ? "Validation Failed" : message) + ")" + validation(body),
                        false);
            default ->
                status >= 500
                        ? new GitHubException("GitHub failed on " + where + " (" + status + "); try again later", true)
                        : new GitHubException(
                                "GitHub answered " + status + " for " + where
                                        + (message.isEmpty() ? "" : ": " + message),
                                false);
        };
    }

    /** GitHub's field errors of a 422: {@code [{resource, field, code, message?}]}. */
    private static String validation(Object body) {
        if (!(body instanceof Map<?, ?> map) || !(map.get("errors") instanceof List<?> errors) || errors.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (Object error : errors) {
            if (error instanceof Map<?, ?> e) {
                String text = e.get("message") instanceof String m ? m : e.get("field") + " " + e.get("code");
                parts.add(text);
            } else if (error instanceof String s) {
                parts.add(s);
            }
        }
        return ": " + String.join("; ", parts);
    }

    private static Optional<String> next(String link) {
        Matcher m = NEXT.matcher(link);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String path(String url) {
        URI uri = URI.create(url);
        return uri.getRawPath();
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitHubException("interrupted while waiting out GitHub's rate limit", true);
        }
    }
}
