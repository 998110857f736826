package dev.nexus.plugin.telegram;

import dev.nexus.api.PluginContext;
import dev.nexus.api.PluginStore;
import dev.nexus.api.platform.ConnectorHealth;
import dev.nexus.api.platform.InboundResult;
import dev.nexus.api.platform.InboundSink;
import dev.nexus.api.platform.LinkHealth;
import dev.nexus.api.platform.LinkLoop;
import dev.nexus.api.platform.ReactionResult;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A running connector's link to Telegram: learns who the bot is ({@code getMe}), then either long-polls
 * {@code getUpdates} or registers the webhook ({@code setWebhook}), on one virtual thread that backs off
 * while Telegram cannot be reached. Hands each update to the host in order; the polling offset is stored
 * after the host took an update ({@value #OFFSET}), so after a restart polling resumes with the first
 * update the host has not taken: nothing is lost, and an update fetched twice is recognised by the host
 * by its id. Thread-safe.
 */
final class Link {

    /** The plugin-store key of the next update id to ask for. */
    static final String OFFSET = "offset";

    /** What happened to an update. */
    enum Outcome {
        /** Taken (or skipped on purpose): move past it. */
        DONE,
        /** The host could not take it now: ask for it again later. */
        RETRY
    }

    private static final List<String> ALLOWED_UPDATES = List.of("message", "message_reaction");

    private final TelegramSettings settings;
    private final Updates updates;
    private final PluginStore store;
    private final InboundSink sink;
    private final System.Logger log;
    private final LinkHealth health;
    private final Optional<BotApi> api;
    private final Outbox outbox;
    private volatile Optional<Updates.Bot> bot = Optional.empty();
    private final LinkLoop loop = new LinkLoop();

    Link(TelegramSettings settings, PluginContext context, Updates updates, System.Logger log) {
        this.settings = settings;
        this.updates = updates;
        this.store = context.store();
        this.sink = context.inbound();
        this.log = log;
        this.api = settings.token().map(token -> new BotApi(settings.apiUrl(), token, settings.requestTimeout()));
        this.health = settings.token().isPresent()
                ? new LinkHealth(
                        context.clock(), settings.backoffMax(), ConnectorHealth.State.RECONNECTING, Optional.empty())
                : new LinkHealth(
                        context.clock(),
                        settings.backoffMax(),
                        ConnectorHealth.State.FAILING,
                        Optional.of("no bot token: set NEXUS_SECRET_TELEGRAM_BOT_TOKEN"));
        this.outbox = new Outbox(settings, api, store);
    }

    TelegramSettings settings() {
        return settings;
    }

    LinkHealth health() {
        return health;
    }

    Outbox outbox() {
        return outbox;
    }

    void start() {
        if (api.isEmpty()) {
            return;
        }
        loop.repeat("telegram-link", this::step, e -> health.unexpected("telegram link", e, log));
    }

    /**
     * Stops the link. The worker thread is never interrupted: it may be inside the plugin store, and an
     * interrupt during a file write closes an embedded H2 database for the whole host. Closing the HTTP
     * client ends a long poll in flight; a notify ends a backoff wait.
     */
    void stop() {
        loop.stop();
        api.ifPresent(BotApi::close);
        loop.join(Duration.ofSeconds(10));
    }

    /** One step of the link; returns how long to wait before the next, or empty when the thread is done. */
    Optional<Duration> step() {
        BotApi bots = api.orElseThrow();
        if (bot.isEmpty()) {
            BotApi.Answer answer = bots.call("getMe", Map.of());
            if (!(answer instanceof BotApi.Answer.Ok ok)
                    || !(ok.result() instanceof Map<?, ?> me)
                    || Updates.number(me.get("id")).isEmpty()
                    || !(me.get("username") instanceof String username)) {
                return Optional.of(failed("getMe", answer));
            }
            bot = Optional.of(new Updates.Bot(Updates.number(me.get("id")).get(), username));
            health.connected();
            log.log(Level.INFO, "telegram bot @" + username + " connected");
        }
        return settings.webhook() ? registerWebhook(bots) : Optional.of(poll(bots));
    }

    private Optional<Duration> registerWebhook(BotApi bots) {
        if (settings.webhookUrl().isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("url", settings.webhookUrl().get().toString());
        settings.webhookSecret().ifPresent(secret -> parameters.put("secret_token", secret));
        parameters.put("allowed_updates", ALLOWED_UPDATES);
        BotApi.Answer answer = bots.call("setWebhook", parameters);
        if (answer instanceof BotApi.Answer.Ok) {
            health.connected();
            return Optional.empty(); // registered: nothing left to do on this thread
        }
        return Optional.of(failed("setWebhook", answer));
    }

    private Duration poll(BotApi bots) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        Optional<String> offset;
        try {
            offset = store.get(OFFSET);
        } catch (PluginStore.Unavailable e) {
            return health.reconnecting("the plugin store cannot be read, so polling waits: " + e.getMessage());
        }
        offset.ifPresent(value -> parameters.put("offset", Long.parseLong(value)));
        parameters.put("timeout", settings.pollTimeout().toSeconds());
        parameters.put("allowed_updates", ALLOWED_UPDATES);
        BotApi.Answer answer = bots.call("getUpdates", parameters, settings.pollTimeout());
        if (!(answer instanceof BotApi.Answer.Ok ok) || !(ok.result() instanceof List<?> list)) {
            return failed("getUpdates", answer);
        }
        health.connected();
        for (Object item : list) {
            if (loop.stopped() || !(item instanceof Map<?, ?> update) || Updates.updateId(update) < 0) {
                return Duration.ZERO;
            }
            if (process(update) == Outcome.RETRY) {
                return health.reconnecting("the host cannot take updates right now; update " + Updates.updateId(update)
                        + " is asked for again");
            }
            try {
                store.put(OFFSET, Long.toString(Updates.updateId(update) + 1));
            } catch (PluginStore.Unavailable e) {
                return health.reconnecting(
                        "the polling offset cannot be stored; the host recognises the update when it comes again");
            }
        }
        return Duration.ZERO;
    }

    private Duration failed(String method, BotApi.Answer answer) {
        return switch (answer) {
            case BotApi.Answer.Error error
            when error.code() == 401 || error.code() == 404 ->
                health.failing(method + " was refused (" + error.code() + " " + error.description()
                        + "): check NEXUS_SECRET_TELEGRAM_BOT_TOKEN");
            case BotApi.Answer.Error error
            when error.code() == 409 ->
                health.reconnecting(
                        method + ": " + error.description()
                                + " (another process polls this bot, or a webhook is set: call deleteWebhook or use mode: webhook)");
            case BotApi.Answer.Error error
            when error.retryAfter().isPresent() -> {
                Duration backoff = health.reconnecting(method + " was rate limited: " + error.description());
                yield error.retryAfter().get().compareTo(backoff) > 0
                        ? error.retryAfter().get()
                        : backoff;
            }
            case BotApi.Answer.Error error ->
                health.reconnecting(method + " failed: " + error.code() + " " + error.description());
            case BotApi.Answer.Unreachable unreachable -> health.reconnecting(unreachable.reason());
            case BotApi.Answer.Ok ok -> health.reconnecting(method + " answered an unexpected result");
        };
    }

    /** Hands one update to the host. */
    Outcome process(Map<?, ?> update) {
        if (Updates.needsBot(update)
                && bot.isEmpty()
                && !settings.groupReplies().contains(TelegramSettings.GroupReply.ALWAYS)) {
            return Outcome.RETRY; // the reply policy needs to know who the bot is; getMe has not answered yet
        }
        Updates.Read read = updates.read(update, bot, this::replyIdOf);
        return switch (read) {
            case Updates.Read.Skip skip -> Outcome.DONE;
            case Updates.Read.Message message ->
                switch (sink.deliver(message.message())) {
                    case InboundResult.Accepted accepted -> Outcome.DONE;
                    case InboundResult.Rejected rejected -> {
                        log.log(
                                Level.WARNING,
                                "the host refused telegram message "
                                        + message.message().externalId() + ": " + rejected.reason());
                        yield Outcome.DONE;
                    }
                    default -> Outcome.RETRY;
                };
            case Updates.Read.Reaction reaction ->
                switch (sink.react(reaction.reaction())) {
                    case ReactionResult.Accepted accepted -> Outcome.DONE;
                    case ReactionResult.Rejected rejected -> Outcome.DONE;
                    default -> Outcome.RETRY;
                };
        };
    }

    /** The reply a reaction names: a later part of a split reply counts as its first part, which the host knows. */
    private String replyIdOf(String reacted) {
        try {
            return store.get(Outbox.PART + reacted).orElse(reacted);
        } catch (PluginStore.Unavailable e) {
            return reacted;
        }
    }
}
