package dev.nexus.host.http;

/** Told about every HTTP answer, e.g. to count statuses for metrics. Must be fast and must not throw. */
@FunctionalInterface
public interface RequestObserver {

    /** Observes nothing. */
    RequestObserver NONE = (method, route, status, nanos) -> {};

    /**
     * Called once per answered request.
     *
     * @param method the HTTP method
     * @param route the matched route's path template ({@code /v1/conversations/{id}/messages}), or
     *     {@code unmatched}
     * @param status the status sent
     * @param nanos how long the request took
     */
    void answered(String method, String route, int status, long nanos);
}
