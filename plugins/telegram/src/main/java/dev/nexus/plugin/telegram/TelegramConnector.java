package dev.nexus.plugin.telegram;

import dev.nexus.api.PluginContext;
import dev.nexus.api.platform.ConnectorHealth;
import dev.nexus.api.platform.DeliveryResult;
import dev.nexus.api.platform.HttpInbound;
import dev.nexus.api.platform.HttpReply;
import dev.nexus.api.platform.OutboundMessage;
import dev.nexus.api.platform.RateLimit;
import dev.nexus.api.platform.RunningConnector;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.pf4j.Extension;

/**
 * Telegram through the Bot API. In {@code polling} mode (the default) a virtual thread long-polls
 * {@code getUpdates} and keeps the offset in the plugin store, so a restart neither loses nor repeats
 * an update; in {@code webhook} mode Telegram POSTs updates to {@code /hooks/telegram} with the
 * configured secret in {@code X-Telegram-Bot-Api-Secret-Token}. Replies go out with {@code sendMessage}
 * as MarkdownV2, split at 4096 characters (see {@link Outbox}); 👍/👎 reactions on them become feedback.
 * Configuration: {@link TelegramSettings}; wire format of updates: {@link Updates}.
 *
 * <p>Thread-safe: {@link #handle} and {@link #send} may run on many threads; {@link #start} and
 * {@link #stop} are called once each by the host (stop is idempotent and safe without start).
 */
@Extension
public final class TelegramConnector extends RunningConnector<Link> {

    /** The platform name. */
    public static final String PLATFORM = "telegram";

    /** The header Telegram sends the webhook's secret token in. */
    static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";

    /** Creates the connector; PF4J calls this. */
    public TelegramConnector() {
        super(PLATFORM, TelegramSettings.DEFAULT_RATE_LIMIT);
    }

    /**
     * Reads the configuration and starts the link (polling or webhook registration) on a virtual thread.
     *
     * @throws IllegalArgumentException when the configuration or a secret is invalid, naming the key and the fix
     */
    @Override
    protected Link open(PluginContext context) {
        TelegramSettings settings = TelegramSettings.from(context);
        System.Logger log = System.getLogger(context.loggerName());
        SplittableRandom random = new SplittableRandom();
        Link started = new Link(settings, context, new Updates(settings, random::nextDouble), log);
        started.start();
        log.log(
                Level.INFO,
                settings.token().isEmpty()
                        ? "telegram has no bot token; set NEXUS_SECRET_TELEGRAM_BOT_TOKEN"
                        : settings.webhook()
                                ? "telegram takes updates at POST /hooks/telegram"
                                : "telegram long-polls getUpdates");
        return started;
    }

    @Override
    protected RateLimit rateLimit(Link running) {
        return running.settings().rateLimit();
    }

    @Override
    protected DeliveryResult send(Link running, OutboundMessage message) {
        return running.outbox().send(message);
    }

    @Override
    public Optional<HttpReply> handle(HttpInbound request) {
        Optional<Link> running = running();
        if (running.isEmpty()) {
            return Optional.of(notRunning());
        }
        Link current = running.get();
        TelegramSettings settings = current.settings();
        if (!request.path().equals("/") && !request.path().isEmpty()) {
            return Optional.of(
                    HttpReply.problem(404, "Not found", "Telegram updates are taken at POST /hooks/telegram only"));
        }
        if (!request.method().equals("POST")) {
            return Optional.of(HttpReply.problem(405, "Method not allowed", "Telegram sends updates with POST")
                    .withHeader("Allow", "POST"));
        }
        if (!settings.webhook()) {
            return Optional.of(HttpReply.problem(
                    404,
                    "Webhook mode off",
                    "this bot long-polls getUpdates; set"
                            + " plugins.config.telegram.mode: webhook to take updates here"));
        }
        if (settings.webhookSecret().isEmpty()) {
            return Optional.of(HttpReply.problem(
                    503,
                    "Webhook not configured",
                    "set NEXUS_SECRET_TELEGRAM_WEBHOOK_SECRET"
                            + " (and pass it to setWebhook as secret_token) before taking updates"));
        }
        byte[] expected = settings.webhookSecret().get().getBytes(StandardCharsets.UTF_8);
        byte[] given = request.header(SECRET_HEADER).orElse("").getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, given)) {
            return Optional.of(HttpReply.problem(
                    401,
                    "Invalid secret token",
                    SECRET_HEADER + " is missing or does not match the webhook's secret_token"));
        }
        Map<String, Object> update;
        try {
            update = request.json();
        } catch (IllegalArgumentException e) {
            return Optional.of(HttpReply.problem(400, "Not an update", TelegramSettings.cap(e.getMessage())));
        }
        if (Updates.updateId(update) < 0) {
            return Optional.of(HttpReply.problem(400, "Not an update", "an Update needs a numeric update_id"));
        }
        return Optional.of(
                switch (current.process(update)) {
                    case DONE -> HttpReply.json(200, Map.of("ok", true));
                    case RETRY ->
                        HttpReply.problem(
                                        503,
                                        "Not stored",
                                        "the host cannot take this update right now; Telegram retries it")
                                .withHeader("Retry-After", "5");
                });
    }

    @Override
    protected Optional<ConnectorHealth> health(Link running) {
        return Optional.of(running.health().current());
    }

    @Override
    protected void close(Link running) {
        running.stop();
    }
}
