package dev.nexus.api.platform;

import dev.nexus.api.PluginContext;
import dev.nexus.api.PluginExtension;
import java.util.Optional;

/**
 * A channel people talk to personalities through: a webhook, a chat service, e-mail.
 *
 * <p>Lifecycle: the host calls {@link #start(PluginContext)} once, then {@link #send} and
 * {@link #handle} from any thread, then {@link #stop()} once. Inbound messages go to the host through
 * {@link PluginContext#inbound()}. Anything a connector throws is caught by the host, reported with
 * the plugin id, and marks this plugin failed without affecting others; expected failures should
 * be returned as values instead ({@link DeliveryResult}, {@link HttpReply}).
 */
public interface PlatformConnector extends PluginExtension {

    /** Returns the platform name used in messages and memory, such as {@code webhook}; lower case, stable. */
    String platform();

    /** Returns how fast the host may call {@link #send}; the host queues and retries within it. */
    RateLimit rateLimit();

    /** Starts the connector with its context; called once before any other call (see {@link PluginExtension}). */
    @Override
    void start(PluginContext context);

    /**
     * Delivers one outbound message. Called from host worker threads, never concurrently for the same
     * message id. Must not block longer than the connector's own configured timeout.
     *
     * @return what happened; {@link DeliveryResult.RetryLater} asks the host to retry after a delay
     */
    DeliveryResult send(OutboundMessage message);

    /**
     * Handles an HTTP request addressed to this connector at {@code /hooks/<platform>/<path>}, such as
     * a signed webhook call. The host does not authenticate these requests: the connector must (for
     * example by checking a signature). Connectors without an HTTP side return empty.
     *
     * @return the reply to send, or empty when this connector takes no HTTP requests (the host answers 404)
     */
    default Optional<HttpReply> handle(HttpInbound request) {
        return Optional.empty();
    }

    /**
     * Returns how the connector's link to its platform is doing, for {@code GET /v1/plugins}; empty for
     * connectors with no standing link (the default: a webhook only answers requests). Called from any
     * thread; must not block.
     */
    @dev.nexus.api.Experimental
    default Optional<ConnectorHealth> health() {
        return Optional.empty();
    }

    /** Stops the connector and releases its resources; called once, also after a failed start. */
    @Override
    void stop();
}
