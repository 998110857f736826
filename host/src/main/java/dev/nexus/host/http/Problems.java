package dev.nexus.host.http;

import dev.nexus.host.AccessDeniedException;
import dev.nexus.host.ConflictException;
import dev.nexus.host.DependencyException;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NexusException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.PayloadTooLargeException;
import dev.nexus.host.TooManyRequestsException;
import dev.nexus.host.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that maps exceptions to HTTP: RFC 9457 problem documents
 * ({@code application/problem+json}) with {@code type}, {@code title}, {@code status},
 * {@code detail}, {@code instance} and, for invalid input, the list of {@code problems}.
 */
final class Problems {

    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
    static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {}

    /** A problem ready to send. */
    record Problem(int status, Map<String, Object> body) {}

    /** Seconds a client should wait before trying again after a 503 (sent as {@code Retry-After}). */
    static final int RETRY_AFTER_SECONDS = 1;

    static Problem of(Throwable error, String path) {
        if (!(error instanceof NexusException) && databaseUnavailable(error)) {
            LOG.warn("503 {}: the database is unavailable: {}", path, rootMessage(error));
            return new Problem(
                    503,
                    document(
                            503,
                            "Dependency unavailable",
                            "the database is unavailable or every connection "
                                    + "to it is busy; try again in a moment (GET /health/ready says when it is back)",
                            path));
        }
        if (error instanceof NexusException nexus) {
            int status = status(nexus);
            if (status >= 500) {
                LOG.warn("{} {}: {}", status, path, nexus.getMessage());
            }
            Map<String, Object> body = document(status, nexus.title(), nexus.getMessage(), path);
            if (nexus instanceof InvalidInputException invalid
                    && !invalid.problems().isEmpty()) {
                body.put("problems", invalid.problems());
            }
            return new Problem(status, body);
        }
        String incident = UUID.randomUUID().toString();
        LOG.error("unexpected failure on {} (incident {})", path, incident, error);
        return new Problem(
                500,
                document(
                        500,
                        "Internal error",
                        "the server failed unexpectedly; the log has the details under incident " + incident,
                        path));
    }

    /**
     * Maps {@code error} to OpenAI's error shape, {@code {"error":{"message","type","param","code"}}}, for
     * the OpenAI-compatible paths: the same statuses and messages as the problem documents.
     */
    static Problem openAi(Throwable error, String path) {
        Problem problem = of(error, path);
        int status = problem.status();
        String type = switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 409, 400, 405, 413 -> "invalid_request_error";
            case 429 -> "rate_limit_error";
            case 503 -> "service_unavailable";
            default -> "api_error";
        };
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("message", String.valueOf(problem.body().get("detail")));
        inner.put("type", type);
        inner.put("param", error instanceof OpenAiParam param ? param.param() : null);
        inner.put(
                "code",
                error instanceof OpenAiParam param ? param.code() : status == 429 ? "rate_limit_exceeded" : null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", inner);
        return new Problem(status, body);
    }

    static Map<String, Object> document(int status, String title, String detail, String path) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://nexus.dev/problems/" + slug(title));
        body.put("title", title);
        body.put("status", status);
        body.put("detail", printable(detail));
        body.put("instance", printable(path));
        return body;
    }

    /**
     * Escapes what a client must never get back raw in an error (echoed input with NUL, control
     * characters or unpaired surrogates), so every problem document is valid, storable text.
     */
    static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            boolean bad = (c < 0x20 && c != ' ') || c == 0x7f || (Character.isSurrogate(c) && !pair);
            if (bad && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (bad) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                    if (pair) {
                        out.append(text.charAt(++i));
                    }
                }
            } else if (pair) {
                i++;
            }
        }
        return out == null ? text : out.toString();
    }

    /**
     * True when {@code error} says the database cannot be reached now, a retriable condition: no pooled
     * connection within the connection timeout, a refused or broken connection (SQLState class 08), a
     * server shutting down or a cancelled statement (57), too many connections (53).
     */
    static boolean databaseUnavailable(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof java.sql.SQLTransientException
                    || e instanceof java.sql.SQLRecoverableException
                    || e instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
            if (e instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57") || state.startsWith("53")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    private static int status(NexusException e) {
        return switch (e) {
            case InvalidInputException ignored -> 400;
            case AccessDeniedException denied -> denied.unauthenticated() ? 401 : 403;
            case NotFoundException ignored -> 404;
            case ConflictException ignored -> 409;
            case PayloadTooLargeException ignored -> 413;
            case TooManyRequestsException ignored -> 429;
            case DependencyException dependency -> dependency.retriable() ? 503 : 502;
            case ConfigException ignored -> 500;
            default -> 500;
        };
    }

    private static String slug(String title) {
        return title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
