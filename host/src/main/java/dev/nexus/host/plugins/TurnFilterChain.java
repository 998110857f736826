package dev.nexus.host.plugins;

import dev.nexus.api.turn.Turn;
import dev.nexus.api.turn.TurnDecision;
import dev.nexus.api.turn.TurnFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the started plugins' {@link TurnFilter}s in plugin-id order, each call within the configured
 * time limit. A filter that throws, overruns or answers null is isolated (its plugin is marked
 * failed) and the turn goes on without it. Thread-safe.
 */
public final class TurnFilterChain {

    private static final Logger LOG = LoggerFactory.getLogger(TurnFilterChain.class);

    private final PluginRuntime runtime;
    private final Duration limit;

    /** Creates the chain over the runtime's filters with the {@code plugins.turn-filter-timeout-ms} limit. */
    public TurnFilterChain(PluginRuntime runtime, Duration limit) {
        this.runtime = runtime;
        this.limit = limit;
    }

    /**
     * What the filters decided before the model. Immutable.
     *
     * @param turn the turn as the filters left it
     * @param refusedBy the plugin that refused the turn; empty when the model is to be asked
     * @param refusal the reply the refusing plugin gave; empty when not refused
     */
    public record Outcome(Turn turn, Optional<String> refusedBy, Optional<String> refusal) {}

    /** Returns true when any started plugin contributes a filter. */
    public boolean active() {
        return !runtime.extensions(TurnFilter.class).isEmpty();
    }

    /** Runs every filter's {@link TurnFilter#before}; the first refusal ends the chain. */
    public Outcome before(Turn turn) {
        Turn current = turn;
        for (Contribution<TurnFilter> filter : runtime.extensions(TurnFilter.class)) {
            Turn seen = current;
            Optional<TurnDecision> decision = guarded(filter, "turn filter before", f -> f.before(seen));
            if (decision.isEmpty()) {
                continue;
            }
            switch (decision.get()) {
                case TurnDecision.Refuse refuse -> {
                    LOG.info("turn refused by plugin {}", filter.pluginId());
                    return new Outcome(current, Optional.of(filter.pluginId()), Optional.of(refuse.reply()));
                }
                case TurnDecision.Proceed proceed -> {
                    List<String> context = new ArrayList<>(current.context());
                    context.addAll(proceed.addContext());
                    current = new Turn(
                            current.personality(),
                            current.user(),
                            current.platform(),
                            current.conversation(),
                            proceed.text() == null ? current.text() : proceed.text(),
                            context);
                }
            }
        }
        return new Outcome(current, Optional.empty(), Optional.empty());
    }

    /** Runs every filter's {@link TurnFilter#after}; returns the reply to keep. */
    public String after(Turn turn, String reply) {
        String current = reply;
        for (Contribution<TurnFilter> filter : runtime.extensions(TurnFilter.class)) {
            String seen = current;
            Optional<String> amended = guarded(filter, "turn filter after", f -> f.after(turn, seen));
            if (amended.isPresent() && !amended.get().isBlank()) {
                current = amended.get();
            } else if (amended.isPresent()) {
                runtime.fail(
                        filter.pluginId(),
                        "turn filter after",
                        new IllegalStateException("after() returned a blank reply"));
            }
        }
        return current;
    }

    private <R> Optional<R> guarded(
            Contribution<TurnFilter> filter, String operation, java.util.function.Function<TurnFilter, R> call) {
        try {
            R result = runtime.callWithin(filter, operation, limit, call);
            if (result == null) {
                runtime.fail(filter.pluginId(), operation, new IllegalStateException("returned null"));
                return Optional.empty();
            }
            return Optional.of(result);
        } catch (PluginFailedException e) {
            LOG.warn("turn filter of plugin {} skipped: {}", filter.pluginId(), e.getMessage());
            return Optional.empty();
        }
    }
}
