package dev.nexus.plugin.email;

import dev.nexus.api.PluginContext;
import dev.nexus.api.platform.ConnectorHealth;
import dev.nexus.api.platform.DeliveryResult;
import dev.nexus.api.platform.OutboundMessage;
import dev.nexus.api.platform.PlatformConnector;
import dev.nexus.api.platform.RateLimit;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.function.Supplier;
import org.pf4j.Extension;

/**
 * Email: a virtual thread polls an IMAP folder by UID and hands each new mail to the host (see
 * {@link Link}: the cursor is kept in the plugin store, so a restart neither loses nor repeats mail);
 * replies go out over SMTP in the mail's thread (see {@link Outbox}). One email thread is one
 * conversation ({@link Mails}). No HTTP side. Configuration: {@link EmailSettings}.
 *
 * <p>Thread-safe: {@link #send} may run on many threads; {@link #start} and {@link #stop} are called
 * once each by the host (stop is idempotent and safe without start).
 */
@Extension
public final class EmailConnector implements PlatformConnector {

    /** The platform name. */
    public static final String PLATFORM = "email";

    private volatile Running running;

    private record Running(EmailSettings settings, Link link, Outbox outbox) {}

    /** Creates the connector; PF4J calls this. */
    public EmailConnector() {}

    @Override
    public String platform() {
        return PLATFORM;
    }

    @Override
    public RateLimit rateLimit() {
        Running current = running;
        return current == null
                ? EmailSettings.DEFAULT_RATE_LIMIT
                : current.settings().rateLimit();
    }

    /**
     * Reads the configuration and starts polling on a virtual thread.
     *
     * @throws IllegalArgumentException when the configuration is invalid, naming the key and the fix
     */
    @Override
    public void start(PluginContext context) {
        EmailSettings settings = EmailSettings.from(context);
        System.Logger log = System.getLogger(context.loggerName());
        // Read at each use: a password set or rotated through the vault applies at the next poll or send.
        Supplier<Optional<String>> password = () -> context.secret("password").filter(p -> !p.isEmpty());
        Link link = new Link(settings, context, password, log);
        running = new Running(settings, link, new Outbox(settings, password, log));
        link.start();
        log.log(
                Level.INFO,
                "email polls " + settings.folder() + " at " + settings.imap() + " every "
                        + settings.pollEvery().toSeconds() + " s and replies as " + settings.address() + " through "
                        + settings.smtp());
    }

    @Override
    public DeliveryResult send(OutboundMessage message) {
        Running current = running;
        if (current == null) {
            return new DeliveryResult.Failed("the email connector is not running");
        }
        return current.outbox().send(message);
    }

    @Override
    public Optional<ConnectorHealth> health() {
        Running current = running;
        return current == null
                ? Optional.empty()
                : Optional.of(current.link().health().current());
    }

    @Override
    public void stop() {
        Running current = running;
        running = null;
        if (current != null) {
            current.link().stop();
        }
    }
}
