package dev.nexus.plugin.discord;

import dev.nexus.api.PluginContext;
import dev.nexus.api.PluginStore;
import dev.nexus.api.platform.ConnectorHealth;
import dev.nexus.api.platform.DeliveryResult;
import dev.nexus.api.platform.HttpInbound;
import dev.nexus.api.platform.HttpReply;
import dev.nexus.api.platform.InboundMessage;
import dev.nexus.api.platform.InboundResult;
import dev.nexus.api.platform.InboundSink;
import dev.nexus.api.platform.LinkHealth;
import dev.nexus.api.platform.OutboundMessage;
import dev.nexus.api.platform.RateLimit;
import dev.nexus.api.platform.ReactionResult;
import dev.nexus.api.platform.RunningConnector;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.pf4j.Extension;

/**
 * Discord as a bot: the Gateway ({@link Gateway}) brings guild and DM messages and reactions, replies
 * go out through REST ({@link Outbox}, {@link Rest}), and slash commands arrive at the interactions
 * endpoint {@code POST /hooks/discord}, each checked against the application's Ed25519 public key
 * ({@code X-Signature-Ed25519} over {@code X-Signature-Timestamp} + body). Configuration:
 * {@link DiscordSettings}; events and the reply policy: {@link Events}.
 *
 * <p>Thread-safe: {@link #handle} and {@link #send} may run on many threads; {@link #start} and
 * {@link #stop} are called once each by the host (stop is idempotent and safe without start).
 */
@Extension
public final class DiscordConnector extends RunningConnector<DiscordConnector.Running> {

    /** The platform name. */
    public static final String PLATFORM = "discord";

    static final String SIGNATURE = "X-Signature-Ed25519";
    static final String TIMESTAMP = "X-Signature-Timestamp";

    record Running(
            DiscordSettings settings,
            Optional<Rest> rest,
            Optional<Gateway> gateway,
            Outbox outbox,
            LinkHealth health,
            Events events,
            InboundSink sink,
            PluginStore store,
            Clock clock) {}

    /** Creates the connector; PF4J calls this. */
    public DiscordConnector() {
        super(PLATFORM, DiscordSettings.DEFAULT_RATE_LIMIT);
    }

    /**
     * Reads the configuration and connects the gateway on virtual threads.
     *
     * @throws IllegalArgumentException when the configuration or a secret is invalid, naming the key and the fix
     */
    @Override
    protected Running open(PluginContext context) {
        DiscordSettings settings = DiscordSettings.from(context);
        System.Logger log = System.getLogger(context.loggerName());
        SplittableRandom random = new SplittableRandom();
        Events events = new Events(settings, random::nextDouble);
        LinkHealth health = settings.token().isPresent()
                ? new LinkHealth(
                        context.clock(), settings.backoffMax(), ConnectorHealth.State.RECONNECTING, Optional.empty())
                : new LinkHealth(
                        context.clock(),
                        settings.backoffMax(),
                        ConnectorHealth.State.FAILING,
                        Optional.of("no bot token: set NEXUS_SECRET_DISCORD_BOT_TOKEN"));
        Optional<Rest> rest = settings.token()
                .map(token -> new Rest(settings.apiUrl(), token, settings.requestTimeout(), context.clock()));
        Running[] self = new Running[1];
        Optional<Gateway> gateway = rest.map(client -> new Gateway(
                settings, client, context.store(), health, dispatch -> process(self[0], dispatch, log), log, random));
        Running started = new Running(
                settings,
                rest,
                gateway,
                new Outbox(settings, rest, context.store()),
                health,
                events,
                context.inbound(),
                context.store(),
                context.clock());
        self[0] = started;
        gateway.ifPresent(Gateway::start);
        if (settings.token().isEmpty()) {
            log.log(Level.WARNING, "discord has no bot token; set NEXUS_SECRET_DISCORD_BOT_TOKEN");
        }
        return started;
    }

    @Override
    protected RateLimit rateLimit(Running running) {
        return running.settings().rateLimit();
    }

    /** Hands a gateway dispatch to the host; false when the host cannot take it now. */
    private static boolean process(Running running, Gateway.Dispatch dispatch, System.Logger log) {
        Events.Bot bot = dispatch.session().bot();
        Events.Read read = dispatch.type().equals("MESSAGE_CREATE")
                ? running.events().message(dispatch.data(), bot)
                : running.events()
                        .reaction(dispatch.data(), bot, running.clock().instant(), id -> replyIdOf(running, id));
        return switch (read) {
            case Events.Read.Skip skip -> true;
            case Events.Read.Message message ->
                switch (running.sink().deliver(message.message())) {
                    case InboundResult.Accepted accepted -> true;
                    case InboundResult.Rejected rejected -> {
                        log.log(
                                Level.WARNING,
                                "the host refused discord message "
                                        + message.message().externalId() + ": " + rejected.reason());
                        yield true;
                    }
                    default -> false;
                };
            case Events.Read.Reaction reaction ->
                switch (running.sink().react(reaction.reaction())) {
                    case ReactionResult.Accepted accepted -> true;
                    case ReactionResult.Rejected rejected -> true;
                    default -> false;
                };
        };
    }

    private static String replyIdOf(Running running, String message) {
        try {
            return running.store().get(Outbox.PART + message).orElse(message);
        } catch (PluginStore.Unavailable e) {
            return message;
        }
    }

    @Override
    protected DeliveryResult send(Running running, OutboundMessage message) {
        return running.outbox().send(message);
    }

    /** The interactions endpoint: PING → PONG, slash commands → a deferred answer and a follow-up reply. */
    @Override
    public Optional<HttpReply> handle(HttpInbound request) {
        Optional<Running> running = running();
        if (running.isEmpty()) {
            return Optional.of(notRunning());
        }
        Running current = running.get();
        if (!request.path().equals("/") && !request.path().isEmpty()) {
            return Optional.of(
                    HttpReply.problem(404, "Not found", "Discord interactions are taken at POST /hooks/discord"));
        }
        if (!request.method().equals("POST")) {
            return Optional.of(HttpReply.problem(405, "Method not allowed", "Discord sends interactions with POST")
                    .withHeader("Allow", "POST"));
        }
        if (current.settings().publicKey().isEmpty()) {
            return Optional.of(HttpReply.problem(
                    503,
                    "Interactions not configured",
                    "set plugins.config.discord.public-key" + " to the application's public key to take interactions"));
        }
        String timestamp = request.header(TIMESTAMP).orElse("").strip();
        String signature = request.header(SIGNATURE).orElse("").strip();
        if (!timestamp.matches("[0-9]{1,12}")
                || !signature.matches("[0-9a-fA-F]{128}")
                || !verified(current, timestamp, request.body(), signature)) {
            return Optional.of(HttpReply.problem(
                    401,
                    "Invalid request signature",
                    SIGNATURE + " must be the Ed25519" + " signature of " + TIMESTAMP
                            + " followed by the body, by the application's key"));
        }
        long skew = Math.abs(current.clock().instant().getEpochSecond() - Long.parseLong(timestamp));
        if (skew > current.settings().interactionTolerance().toSeconds()) {
            return Optional.of(HttpReply.problem(
                    401, "Stale request", TIMESTAMP + " is " + skew + " seconds away from the server clock"));
        }
        Map<String, Object> interaction;
        try {
            interaction = request.json();
        } catch (IllegalArgumentException e) {
            return Optional.of(HttpReply.problem(400, "Not an interaction", DiscordSettings.cap(e.getMessage())));
        }
        Object type = interaction.get("type");
        if (type instanceof Number n && n.intValue() == 1) {
            return Optional.of(HttpReply.json(200, Map.of("type", 1)));
        }
        if (!(type instanceof Number n2) || n2.intValue() != 2) {
            return Optional.of(HttpReply.json(
                    200,
                    Map.of(
                            "type",
                            4,
                            "data",
                            Map.of("content", "This bot answers slash commands only.", "flags", 64))));
        }
        Optional<InboundMessage> message =
                current.events().command(interaction, current.clock().instant());
        if (message.isEmpty()) {
            return Optional.of(
                    HttpReply.problem(400, "Not a usable command", "the command carries no id, token, user or text"));
        }
        return Optional.of(
                switch (current.sink().deliver(message.get())) {
                    // 5: DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE ("thinking…"); the reply follows through the webhook.
                    case InboundResult.Accepted accepted -> HttpReply.json(200, Map.of("type", 5));
                    case InboundResult.Rejected rejected ->
                        HttpReply.json(
                                200,
                                Map.of(
                                        "type",
                                        4,
                                        "data",
                                        Map.of(
                                                "content",
                                                "Sorry, I cannot take that: " + DiscordSettings.cap(rejected.reason()),
                                                "flags",
                                                64)));
                    default ->
                        HttpReply.problem(503, "Not stored", "the host cannot take this command right now; try again")
                                .withHeader("Retry-After", "5");
                });
    }

    private static boolean verified(Running running, String timestamp, byte[] body, String signature) {
        try {
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initVerify(running.settings().publicKey().orElseThrow());
            ed25519.update(timestamp.getBytes(StandardCharsets.UTF_8));
            ed25519.update(body);
            return ed25519.verify(HexFormat.of().parseHex(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    protected Optional<ConnectorHealth> health(Running running) {
        return Optional.of(running.health().current());
    }

    @Override
    protected void close(Running running) {
        running.gateway().ifPresent(Gateway::stop);
        running.rest().ifPresent(Rest::close);
    }
}
