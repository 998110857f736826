package dev.nexus.plugin.webhook;

import dev.nexus.api.PluginContext;
import dev.nexus.api.platform.DeliveryResult;
import dev.nexus.api.platform.HttpInbound;
import dev.nexus.api.platform.HttpReply;
import dev.nexus.api.platform.OutboundMessage;
import dev.nexus.api.platform.PlatformConnector;
import dev.nexus.api.platform.RateLimit;
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
public final class WebhookConnector implements PlatformConnector {

    /** The platform name. */
    public static final String PLATFORM = "webhook";

    private volatile Running running;

    /** Creates the connector; PF4J calls this. */
    public WebhookConnector() {}

    @Override
    public String platform() {
        return PLATFORM;
    }

    @Override
    public RateLimit rateLimit() {
        Running current = running;
        return current == null ? WebhookSettings.DEFAULT_RATE_LIMIT : current.settings.rateLimit();
    }

    /**
     * Reads the configuration and starts accepting requests.
     *
     * @throws IllegalArgumentException when the configuration or a secret is invalid, naming the key and the fix
     */
    @Override
    public void start(PluginContext context) {
        WebhookSettings settings = WebhookSettings.from(context);
        System.Logger log = System.getLogger(context.loggerName());
        CallbackClient callbacks = new CallbackClient(settings, context.clock());
        running = new Running(
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
    }

    @Override
    public Optional<HttpReply> handle(HttpInbound request) {
        Running current = running;
        if (current == null) {
            return Optional.of(HttpReply.problem(503, "Webhook not running", "the webhook connector is not started"));
        }
        return Optional.of(current.inbox.handle(request));
    }

    @Override
    public DeliveryResult send(OutboundMessage message) {
        Running current = running;
        if (current == null) {
            return new DeliveryResult.Failed("the webhook connector is not started");
        }
        return current.callbacks.deliver(message);
    }

    @Override
    public void stop() {
        Running current = running;
        running = null;
        if (current != null) {
            current.callbacks.close();
        }
    }

    private record Running(WebhookSettings settings, Inbox inbox, CallbackClient callbacks) {}
}
