package dev.nexus.api.platform;

import dev.nexus.api.Experimental;
import dev.nexus.api.PluginContext;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link PlatformConnector} whose whole state between {@link #start} and {@link #stop} is one value
 * {@code R} (its settings, clients, link), built by {@link #open} and dropped by {@link #stop}. This
 * class does the part every such connector repeats: the platform name, the rate limit announced before
 * start, "not running" answers before start and after stop, and a stop that is idempotent and safe
 * without start. A subclass says what runs:
 *
 * <pre>{@code
 * // with @org.pf4j.Extension on the class
 * public final class ChatConnector extends RunningConnector<ChatConnector.Running> {
 *     record Running(ChatSettings settings, ChatClient client) {}
 *
 *     public ChatConnector() { super("chat", RateLimit.perSecond(5)); }
 *
 *     protected Running open(PluginContext context) {
 *         ChatSettings settings = ChatSettings.from(context);   // throws naming the key and the fix
 *         return new Running(settings, new ChatClient(settings));
 *     }
 *     protected RateLimit rateLimit(Running running) { return running.settings().rateLimit(); }
 *     protected DeliveryResult send(Running running, OutboundMessage message) { return running.client().post(message); }
 *     protected void close(Running running) { running.client().close(); }
 * }
 * }</pre>
 *
 * <p>A connector with an HTTP side overrides {@link #handle(HttpInbound)} and answers with
 * {@link #notRunning()} when {@link #running()} is empty. Thread-safe: {@code R} is published through a
 * volatile field, so it should be immutable (or thread-safe itself).
 *
 * @param <R> what runs between start and stop
 */
@Experimental
public abstract class RunningConnector<R> implements PlatformConnector {

    private final String platform;
    private final RateLimit beforeStart;
    private volatile R running;

    /**
     * @param platform the platform name ({@link #platform()})
     * @param beforeStart the rate limit announced before the connector is started (the platform's usual limit)
     */
    protected RunningConnector(String platform, RateLimit beforeStart) {
        this.platform = Objects.requireNonNull(platform, "platform");
        this.beforeStart = Objects.requireNonNull(beforeStart, "beforeStart");
    }

    /**
     * Reads the configuration and secrets and builds (and starts: threads, a link) what runs. Called once by
     * {@link #start}; what it returns becomes {@link #running()}.
     *
     * @throws IllegalArgumentException when the configuration is invalid, naming the key and the fix
     */
    protected abstract R open(PluginContext context);

    /** Returns how fast the host may send while {@code running}. */
    protected abstract RateLimit rateLimit(R running);

    /** Delivers one message while {@code running} (see {@link PlatformConnector#send}). */
    protected abstract DeliveryResult send(R running, OutboundMessage message);

    /** Returns how the link of {@code running} is doing; empty (the default) for connectors with no standing link. */
    protected Optional<ConnectorHealth> health(R running) {
        return Optional.empty();
    }

    /** Releases what {@code running} holds (threads, clients); called once by {@link #stop}. The default does nothing. */
    protected void close(R running) {}

    /** Returns what runs; empty before {@link #start} and after {@link #stop}. */
    protected final Optional<R> running() {
        return Optional.ofNullable(running);
    }

    /** The answer to an HTTP request that arrives while the connector is not running: 503 "Not running". */
    protected final HttpReply notRunning() {
        return HttpReply.problem(503, "Not running", "the " + platform + " connector is not running");
    }

    @Override
    public final String platform() {
        return platform;
    }

    /** Returns the running connector's rate limit, or the one given to the constructor before start. */
    @Override
    public final RateLimit rateLimit() {
        R current = running;
        return current == null ? beforeStart : rateLimit(current);
    }

    /** Runs {@link #open} and keeps what it returns. */
    @Override
    public final void start(PluginContext context) {
        running = open(context);
    }

    /** Sends through the running connector; before start and after stop, fails saying the connector is not running. */
    @Override
    public final DeliveryResult send(OutboundMessage message) {
        R current = running;
        return current == null
                ? new DeliveryResult.Failed("the " + platform + " connector is not running")
                : send(current, message);
    }

    @Override
    public final Optional<ConnectorHealth> health() {
        R current = running;
        return current == null ? Optional.empty() : health(current);
    }

    /** Drops what runs and {@link #close closes} it; idempotent, and safe without start. */
    @Override
    public final void stop() {
        R current = running;
        running = null;
        if (current != null) {
            close(current);
        }
    }
}
