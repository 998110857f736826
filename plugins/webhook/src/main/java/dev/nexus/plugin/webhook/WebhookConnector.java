package dev.nexus.plugin.webhook;

import dev.nexus.api.PluginContext;
import dev.nexus.api.platform.DeliveryResult;
import dev.nexus.api.platform.HttpInbound;
import dev.nexus.api.platform.HttpReply;
import dev.nexus.api.platform.OutboundMessage;
import dev.nexus.api.platform.RateLimit;
import dev.nexus.api.platform.RunningConnector;
import java.lang.System.Logger.Level;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * A generic webhook platform. Other systems POST signed JSON messages to {@code /hooks/webhook} and get
 * the personality's replies POSTed back, signed the same way, to a callback URL. The wire format is in
 * {@link Signatures} (signing), {@link WebhookMessage} (inbound body) and {@link CallbackClient}
 * (outbound body and retry rules); configuration in {@link WebhookSettings}.
 *
 * <p>Thread-safe: {@link #handle} and {@link #send} may run on many threads; {@link #start} and
 * {@link #stop} are called once each by the host (stop is idempotent and safe without start).
 */
@Extension
public final class WebhookConnector extends RunningConnector<WebhookConnector.Running> {

    /** The platform name. */
    public static final String PLATFORM = "webhook";

    record Running(WebhookSettings settings, Inbox inbox, CallbackClient callbacks) {}

    /** Creates the connector; PF4J calls this. */
    public WebhookConnector() {
        super(PLATFORM, WebhookSettings.DEFAULT_RATE_LIMIT);
    }

    /**
     * Reads the configuration and starts accepting requests.
     *
     * @throws IllegalArgumentException when the configuration or a secret is invalid, naming the key and the fix
     */
    @Override
    protected Running open(PluginContext context) {
        WebhookSettings settings = WebhookSettings.from(context);
        System.Logger log = System.getLogger(context.loggerName());
        CallbackClient callbacks = new CallbackClient(settings, context.clock());
        Running running = new Running(
                settings, new Inbox(settings, context.inbound(), context.store(), context.clock(), log), callbacks);
        if (settings.signing()) {
            log.log(
                    Level.INFO,
                    "webhook ready at POST /hooks/webhook; replies go to "
                            + settings.callbackUrl().map(Object::toString).orElse("per-message callback URLs only"));
        } else {
            log.log(
                    Level.WARNING,
                    "webhook has no signing key: inbound requests get 503 and replies fail until "
                            + "NEXUS_SECRET_WEBHOOK_SIGNING_KEY is set");
        }
        return running;
    }

    @Override
    protected RateLimit rateLimit(Running running) {
        return running.settings().rateLimit();
    }

    @Override
    public Optional<HttpReply> handle(HttpInbound request) {
        return Optional.of(
                running().map(current -> current.inbox().handle(request)).orElseGet(this::notRunning));
    }

    @Override
    protected DeliveryResult send(Running running, OutboundMessage message) {
        return running.callbacks().deliver(message);
    }

    @Override
    protected void close(Running running) {
        running.callbacks().close();
    }
}
