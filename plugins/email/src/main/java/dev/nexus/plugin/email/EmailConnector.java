package dev.nexus.plugin.email;

import dev.nexus.api.PluginContext;
import dev.nexus.api.platform.ConnectorHealth;
import dev.nexus.api.platform.DeliveryResult;
import dev.nexus.api.platform.OutboundMessage;
import dev.nexus.api.platform.RateLimit;
import dev.nexus.api.platform.RunningConnector;
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
 * once each by the host (stop is idempotent and safe without start: {@link RunningConnector}).
 */
@Extension
public final class EmailConnector extends RunningConnector<EmailConnector.Running> {

    /** The platform name. */
    public static final String PLATFORM = "email";

    record Running(EmailSettings settings, Link link, Outbox outbox) {}

    /** Creates the connector; PF4J calls this. */
    public EmailConnector() {
        super(PLATFORM, EmailSettings.DEFAULT_RATE_LIMIT);
    }

    /**
     * Reads the configuration and starts polling on a virtual thread.
     *
     * @throws IllegalArgumentException when the configuration is invalid, naming the key and the fix
     */
    @Override
    protected Running open(PluginContext context) {
        EmailSettings settings = EmailSettings.from(context);
        System.Logger log = System.getLogger(context.loggerName());
        // Read at each use: a password set or rotated through the vault applies at the next poll or send.
        Supplier<Optional<String>> password = () -> context.secret("password").filter(p -> !p.isEmpty());
        Link link = new Link(settings, context, password, log);
        link.start();
        log.log(
                Level.INFO,
                "email polls " + settings.folder() + " at " + settings.imap() + " every "
                        + settings.pollEvery().toSeconds() + " s and replies as " + settings.address() + " through "
                        + settings.smtp());
        return new Running(settings, link, new Outbox(settings, password, log));
    }

    @Override
    protected RateLimit rateLimit(Running running) {
        return running.settings().rateLimit();
    }

    @Override
    protected DeliveryResult send(Running running, OutboundMessage message) {
        return running.outbox().send(message);
    }

    @Override
    protected Optional<ConnectorHealth> health(Running running) {
        return Optional.of(running.link().health().current());
    }

    @Override
    protected void close(Running running) {
        running.link().stop();
    }
}
