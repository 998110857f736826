package dev.nexus.host.llm;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RetriableException;
import dev.nexus.host.DependencyException;
import dev.nexus.host.InvalidInputException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;

/**
 * Turns whatever a provider client threw into a {@link DependencyException}: retriable for
 * connection errors, timeouts, 408, 429 and 5xx; not retriable for other 4xx (bad request, bad key,
 * unknown model). Stateless.
 */
final class Failures {

    private Failures() {}

    /** Returns whether {@code failure} is worth retrying. */
    static boolean retriable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpException http) {
                return retriableStatus(http.statusCode());
            }
            if (cause instanceof NonRetriableException) {
                return nonRetriableCause(cause);
            }
            if (cause instanceof RetriableException
                    || cause instanceof IOException
                    || cause instanceof TimeoutException
                    || cause instanceof UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    /** Returns a dependency failure naming the model and what went wrong, without any key. */
    static DependencyException describe(ModelDescription model, String apiKey, Throwable failure, int attempts) {
        boolean retriable = retriable(failure);
        String what = apiKey.length() >= 4 ? what(failure).replace(apiKey, "***") : what(failure);
        String advice = retriable
                ? "the server may be down or overloaded; try again later or check llm.base-url"
                : "check llm.model, llm.api-key and llm.base-url";
        String tries = attempts == 1 ? "1 attempt" : attempts + " attempts";
        return new DependencyException(
                "language " + model.label() + " failed after " + tries + ": " + what + "; " + advice,
                retriable,
                failure);
    }

    /** Returns a timeout failure for a stream that went quiet. */
    static DependencyException quiet(ModelDescription model, long seconds) {
        return new DependencyException(
                "language " + model.label() + " sent nothing for " + seconds
                        + " s (timeout); try again later or raise llm.timeout-seconds",
                true,
                null);
    }

    private static boolean nonRetriableCause(Throwable cause) {
        Throwable inner = cause.getCause();
        return inner instanceof HttpException http && retriableStatus(http.statusCode());
    }

    private static boolean retriableStatus(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    private static String what(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpException http) {
                return "HTTP " + http.statusCode() + " " + statusText(http.statusCode()) + bodyHint(http.getMessage());
            }
            if (cause instanceof HttpTimeoutException
                    || cause instanceof TimeoutException
                    || cause instanceof dev.langchain4j.exception.TimeoutException) {
                return "timed out";
            }
            if (cause instanceof ConnectException) {
                return "connection refused";
            }
            if (cause instanceof UnresolvedAddressException || cause instanceof java.net.UnknownHostException) {
                return "unknown host";
            }
        }
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : " (" + InvalidInputException.cap(root.getMessage()) + ")");
    }

    private static String statusText(int status) {
        return switch (status) {
            case 400 -> "(bad request)";
            case 401, 403 -> "(authentication failed: check the API key)";
            case 404 -> "(model or endpoint not found)";
            case 408 -> "(request timeout)";
            case 429 -> "(rate limited)";
            default -> status >= 500 ? "(server error)" : "";
        };
    }

    private static String bodyHint(String body) {
        return body == null || body.isBlank() ? "" : ": " + InvalidInputException.cap(body.strip());
    }
}
