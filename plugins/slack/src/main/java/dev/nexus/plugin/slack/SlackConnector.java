package dev.nexus.plugin.slack;

import dev.nexus.api.PluginContext;
import dev.nexus.api.PluginStore;
import dev.nexus.api.platform.DeliveryResult;
import dev.nexus.api.platform.HttpInbound;
import dev.nexus.api.platform.HttpReply;
import dev.nexus.api.platform.InboundMessage;
import dev.nexus.api.platform.InboundReaction;
import dev.nexus.api.platform.InboundResult;
import dev.nexus.api.platform.InboundSink;
import dev.nexus.api.platform.OutboundMessage;
import dev.nexus.api.platform.RateLimit;
import dev.nexus.api.platform.ReactionResult;
import dev.nexus.api.platform.RunningConnector;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.pf4j.Extension;

/**
 * Slack through the Events API: Slack POSTs events to {@code /hooks/slack}, each signed with the app's
 * signing secret ({@code X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:" + X-Slack-Request-Timestamp + ":" +
 * body>}, the timestamp within {@code tolerance-seconds}); {@code url_verification} is answered with its
 * challenge; an event Slack retries ({@code X-Slack-Retry-Num}) after the host took it is answered 200 and
 * not handed on again (event ids are remembered for a day, and the host also recognises a message by
 * {@code <channel>:<ts>}). Messages in DMs are always answered; in channels by the reply policy, each thread
 * a conversation of its own (a top-level channel message starts one; the reply goes into it). 👍/👎
 * reactions ({@code +1}, {@code -1}) are feedback. Replies: {@link WebApi}. Thread-safe.
 */
@Extension
public final class SlackConnector extends RunningConnector<SlackConnector.Running> {

    /** The platform name. */
    public static final String PLATFORM = "slack";

    static final String CHANNEL = "channel";
    static final String THREAD_TS = "threadTs";
    static final String SIGNATURE = "X-Slack-Signature";
    static final String TIMESTAMP = "X-Slack-Request-Timestamp";
    private static final String EVENT = "event:";
    private static final Duration EVENTS_KEPT = Duration.ofDays(1);

    record Running(
            SlackSettings settings,
            WebApi api,
            InboundSink sink,
            PluginStore store,
            Clock clock,
            SplittableRandom random) {}

    /** Creates the connector; PF4J calls this. */
    public SlackConnector() {
        super(PLATFORM, SlackSettings.DEFAULT_RATE_LIMIT);
    }

    @Override
    protected Running open(PluginContext context) {
        SlackSettings settings = SlackSettings.from(context);
        return new Running(
                settings,
                new WebApi(settings, context.store()),
                context.inbound(),
                context.store(),
                context.clock(),
                new SplittableRandom());
    }

    @Override
    protected RateLimit rateLimit(Running running) {
        return running.settings().rateLimit();
    }

    @Override
    protected DeliveryResult send(Running running, OutboundMessage message) {
        return running.api().send(message);
    }

    @Override
    public Optional<HttpReply> handle(HttpInbound request) {
        Optional<Running> running = running();
        if (running.isEmpty()) {
            return Optional.of(notRunning());
        }
        Running current = running.get();
        if (!request.path().equals("/") && !request.path().isEmpty()) {
            return Optional.of(HttpReply.problem(404, "Not found", "Slack events are taken at POST /hooks/slack"));
        }
        if (!request.method().equals("POST")) {
            return Optional.of(HttpReply.problem(405, "Method not allowed", "Slack sends events with POST")
                    .withHeader("Allow", "POST"));
        }
        if (current.settings().signingSecret().isEmpty()) {
            return Optional.of(HttpReply.problem(
                    503,
                    "Not configured",
                    "set NEXUS_SECRET_SLACK_SIGNING_SECRET (Basic" + " Information > Signing Secret) to take events"));
        }
        String stamp = request.header(TIMESTAMP).orElse("").strip();
        if (!stamp.matches("[0-9]{1,12}")
                || !signed(
                        current,
                        stamp,
                        request.body(),
                        request.header(SIGNATURE).orElse(""))) {
            return Optional.of(HttpReply.problem(
                    401,
                    "Invalid signature",
                    SIGNATURE + " must be v0=<hex HMAC-SHA256 of" + " 'v0:' + " + TIMESTAMP
                            + " + ':' + body, keyed with the signing secret>"));
        }
        long skew = Math.abs(current.clock().instant().getEpochSecond() - Long.parseLong(stamp));
        if (skew > current.settings().tolerance().toSeconds()) {
            return Optional.of(HttpReply.problem(
                    401,
                    "Stale request",
                    TIMESTAMP + " is " + skew + " seconds away from the server clock; the limit is "
                            + current.settings().tolerance().toSeconds()));
        }
        Map<String, Object> body;
        try {
            body = request.json();
        } catch (IllegalArgumentException e) {
            return Optional.of(HttpReply.problem(400, "Not an event", SlackSettings.cap(e.getMessage())));
        }
        if ("url_verification".equals(body.get("type")) && body.get("challenge") instanceof String challenge) {
            return Optional.of(HttpReply.json(200, Map.of("challenge", challenge)));
        }
        if (!"event_callback".equals(body.get("type"))
                || !(body.get("event_id") instanceof String eventId)
                || !(body.get("event") instanceof Map<?, ?> event)) {
            return Optional.of(
                    HttpReply.problem(400, "Not an event", "expected an event_callback with event_id and event"));
        }
        try {
            if (current.store().get(EVENT + eventId).isPresent()) {
                return Optional.of(HttpReply.json(200, Map.of("ok", true, "duplicate", true)));
            }
        } catch (PluginStore.Unavailable e) {
            return Optional.of(retry());
        }
        boolean taken = switch (String.valueOf(event.get("type"))) {
            case "message", "app_mention" -> message(current, body, event);
            case "reaction_added" -> reaction(current, event);
            default -> true;
        };
        if (!taken) {
            return Optional.of(retry());
        }
        try {
            current.store().put(EVENT + eventId, "1", EVENTS_KEPT);
        } catch (PluginStore.Unavailable | PluginStore.Full e) {
            // The host still recognises the message by its id when Slack retries.
        }
        return Optional.of(HttpReply.json(200, Map.of("ok", true)));
    }

    private static HttpReply retry() {
        return HttpReply.problem(503, "Not stored", "the host cannot take this event right now; Slack retries it")
                .withHeader("Retry-After", "5");
    }

    /** Hands a message to the host when the policy answers it; false when the host cannot take it now. */
    private static boolean message(Running current, Map<String, Object> envelope, Map<?, ?> event) {
        String user = text(event.get("user"));
        String channel = text(event.get("channel"));
        String ts = text(event.get("ts"));
        String content = text(event.get("text"));
        String bot = botUser(envelope);
        if (event.get("subtype") != null
                || event.get("bot_id") != null
                || user.isEmpty()
                || channel.isEmpty()
                || ts.isEmpty()
                || user.equals(bot)
                || content.isBlank()) {
            return true; // edits, joins, bots (the bot itself included) and empty messages are not answered
        }
        String threadTs = text(event.get("thread_ts"));
        boolean direct = "im".equals(event.get("channel_type")) || channel.startsWith("D");
        Map<String, String> replyTo = new HashMap<>();
        replyTo.put(CHANNEL, channel);
        Optional<String> thread;
        if (direct && threadTs.isEmpty()) {
            thread = Optional.empty();
        } else {
            String root = threadTs.isEmpty() ? ts : threadTs;
            if (!direct && !addressed(current, event, content, bot, channel, threadTs)) {
                return true;
            }
            replyTo.put(THREAD_TS, root);
            thread = Optional.of(channel + ":" + root);
        }
        String shown = bot.isEmpty()
                ? content
                : content.replace("<@" + bot + ">", "@bot").strip();
        Instant at = ts.matches("[0-9]{1,12}(\\.[0-9]+)?")
                ? Instant.ofEpochSecond(Long.parseLong(ts.split("\\.")[0]))
                : current.clock().instant();
        InboundMessage message = new InboundMessage(
                PLATFORM,
                channel + ":" + ts,
                user,
                current.settings().personality(),
                Optional.empty(),
                shown.isEmpty() ? content : shown,
                at,
                replyTo,
                thread);
        return switch (current.sink().deliver(message)) {
            case InboundResult.Accepted accepted -> true;
            case InboundResult.Rejected rejected -> true;
            default -> false;
        };
    }

    private static boolean addressed(
            Running current, Map<?, ?> event, String content, String bot, String channel, String threadTs) {
        var policy = current.settings().channelReplies();
        if (policy.contains(SlackSettings.ChannelReply.ALWAYS)) {
            return true;
        }
        if (policy.contains(SlackSettings.ChannelReply.MENTION)
                && ("app_mention".equals(event.get("type")) || !bot.isEmpty() && content.contains("<@" + bot + ">"))) {
            return true;
        }
        if (policy.contains(SlackSettings.ChannelReply.THREAD) && !threadTs.isEmpty()) {
            try {
                if (current.store()
                        .get(WebApi.THREAD + channel + ":" + threadTs)
                        .isPresent()) {
                    return true;
                }
            } catch (PluginStore.Unavailable e) {
                return false;
            }
        }
        double p = current.settings().channelProbability();
        return p > 0 && current.random().nextDouble() < p;
    }

    private static boolean reaction(Running current, Map<?, ?> event) {
        Map<?, ?> item = event.get("item") instanceof Map<?, ?> m ? m : Map.of();
        String user = text(event.get("user"));
        String name = text(event.get("reaction"));
        String channel = text(item.get("channel"));
        String ts = text(item.get("ts"));
        Optional<InboundReaction.Thumbs> thumbs = switch (name.replaceAll("::skin-tone-\\d", "")) {
            case "+1", "thumbsup", "heart", "fire", "clap" -> Optional.of(InboundReaction.Thumbs.UP);
            case "-1", "thumbsdown", "poop", "rage" -> Optional.of(InboundReaction.Thumbs.DOWN);
            default -> Optional.empty();
        };
        if (thumbs.isEmpty() || user.isEmpty() || channel.isEmpty() || ts.isEmpty()) {
            return true;
        }
        InboundReaction reaction = new InboundReaction(
                PLATFORM,
                channel + ":" + ts + ":" + user + ":" + name,
                user,
                channel + ":" + ts,
                thumbs,
                OptionalInt.empty(),
                List.of(),
                current.clock().instant());
        return switch (current.sink().react(reaction)) {
            case ReactionResult.Accepted accepted -> true;
            case ReactionResult.Rejected rejected -> true;
            default -> false;
        };
    }

    /** The bot's own user id, from the envelope's {@code authorizations}. */
    private static String botUser(Map<String, Object> envelope) {
        if (envelope.get("authorizations") instanceof List<?> list
                && !list.isEmpty()
                && list.get(0) instanceof Map<?, ?> first) {
            return text(first.get("user_id"));
        }
        return "";
    }

    private static boolean signed(Running current, String stamp, byte[] body, String signature) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(current.settings().signingSecret().orElseThrow(), "HmacSHA256"));
            mac.update(("v0:" + stamp + ":").getBytes(StandardCharsets.UTF_8));
            byte[] expected = ("v0=" + HexFormat.of().formatHex(mac.doFinal(body))).getBytes(StandardCharsets.UTF_8);
            return MessageDigest.isEqual(expected, signature.strip().getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String text(Object value) {
        return value instanceof String s ? s : "";
    }

    @Override
    protected void close(Running running) {
        running.api().close();
    }
}
