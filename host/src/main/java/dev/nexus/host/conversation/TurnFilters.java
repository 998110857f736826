package dev.nexus.host.conversation;

import dev.nexus.api.turn.Turn;
import java.util.Optional;

/**
 * The conversation's port for turn middleware (plugins' {@code TurnFilter}s): consulted once before
 * the model and once after it. The implementation isolates failing filters and limits their time;
 * this package only applies the outcome. Implementations are thread-safe.
 */
public interface TurnFilters {

    /** Returns true when any filter may act, so the reply must not be streamed before {@link #after}. */
    boolean active();

    /** Runs the filters before the model; returns the turn to send, or a refusal. */
    Before before(Turn turn);

    /** Runs the filters after the model; returns the reply to keep. */
    String after(Turn turn, String reply);

    /**
     * The outcome before the model. Immutable.
     *
     * @param turn the turn as the filters left it
     * @param refusal the reply to give instead of asking the model, and the plugin that refused
     */
    record Before(Turn turn, Optional<Refusal> refusal) {}

    /**
     * A filter's refusal. Immutable.
     *
     * @param pluginId the refusing plugin
     * @param reply what the user is told
     */
    record Refusal(String pluginId, String reply) {}

    /** Returns filters that do nothing. */
    static TurnFilters none() {
        return new TurnFilters() {
            @Override
            public boolean active() {
                return false;
            }

            @Override
            public Before before(Turn turn) {
                return new Before(turn, Optional.empty());
            }

            @Override
            public String after(Turn turn, String reply) {
                return reply;
            }
        };
    }
}
