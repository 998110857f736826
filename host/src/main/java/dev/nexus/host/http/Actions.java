package dev.nexus.host.http;

import java.util.Optional;

/**
 * Where the HTTP layer reports the actions it carries out, so an audit trail can be kept in one place
 * instead of in every handler: the server asks {@link #begin} before a route's handler runs (after the
 * key and its scope were checked) and completes what it got back once the handler answered. Failed
 * requests (an exception, or a 4xx/5xx answer) are not completed: they changed nothing. Implementations
 * are thread-safe.
 */
public interface Actions {

    /** Records nothing. */
    Actions NONE = (route, exchange) -> Optional.empty();

    /**
     * Returns the action about to run, or empty when {@code route} is not one that is recorded.
     * Called on the request thread before the handler; may read the stored state the route is about to change.
     */
    Optional<Action> begin(Route route, Exchange exchange);

    /** One action under way. Confined to the request thread. */
    interface Action {
        /**
         * The handler answered {@code status} (below 400).
         *
         * @param location the {@code Location} the handler answered with (a created resource), or empty
         */
        void completed(int status, Optional<String> location);
    }
}
