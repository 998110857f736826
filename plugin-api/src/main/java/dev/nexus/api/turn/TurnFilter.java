package dev.nexus.api.turn;

import dev.nexus.api.Experimental;
import dev.nexus.api.PluginExtension;

/**
 * Turn middleware: inspects a conversation turn before the language model sees it (add context,
 * redact, refuse) and the reply after it (amend or replace).
 *
 * <p>The host calls every started filter in plugin-id order; each sees the turn as the previous
 * filter left it. Each call has a time limit ({@code plugins.turn-filter-timeout-ms}, default 2000):
 * a filter that overruns or throws is isolated like any failing plugin (marked failed, skipped from
 * then on) and the turn goes on without it, so a filter must not be the only guard of anything
 * critical. Lifecycle as for every extension ({@link PluginExtension}). Implementations must be
 * thread-safe: turns run concurrently.
 */
@Experimental
public interface TurnFilter extends PluginExtension {

    /**
     * Decides about a turn before the model is asked.
     *
     * @param turn the turn as the previous filter left it
     * @return {@link TurnDecision.Proceed} (possibly with amended text and added context) or
     *     {@link TurnDecision.Refuse}; never null
     */
    TurnDecision before(Turn turn);

    /**
     * Looks at the reply before it is stored and returned. In a turn with filters the reply is not
     * streamed token by token: the caller receives the final text once, after every filter.
     *
     * @param turn the turn as the filters left it before the model
     * @param reply the model's reply (or the previous filter's amendment)
     * @return the reply to keep: {@code reply} itself to leave it unchanged; never null or blank
     */
    default String after(Turn turn, String reply) {
        return reply;
    }
}
