package dev.nexus.plugin.webhook;

import dev.nexus.api.PluginStore;
import dev.nexus.api.platform.HttpInbound;
import dev.nexus.api.platform.HttpReply;
import dev.nexus.api.platform.InboundResult;
import dev.nexus.api.platform.InboundSink;
import dev.nexus.api.platform.ReactionResult;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Handles inbound webhook requests: method and size, signature, timestamp window, strict body, replay
 * memory, then hands the message ({@code POST /hooks/webhook}) or the reaction
 * ({@code POST /hooks/webhook/reactions}) to the host. Messages and reactions are signed alike; the
 * path is not signed, but a body replayed to the other path fails its strict field check. Every refusal is an RFC 9457 problem reply that says
 * what to fix and never echoes the key or the expected signature. Thread-safe.
 */
final class Inbox {

    /** The path of reactions below {@code /hooks/webhook}. */
    static final String REACTIONS = "/reactions";

    private static final Pattern UNIX_SECONDS = Pattern.compile("\\d{1,12}");
    private static final String HOW_TO_SIGN =
            "send " + Signatures.TIMESTAMP_HEADER + " (Unix seconds) and " + Signatures.SIGNATURE_HEADER
                    + ": sha256=<hex HMAC-SHA256 of timestamp + '.' + body, keyed with the shared key>";

    /** What a sender waits when the host gave no time of its own (it threw, or gave an outcome newer than this plugin). */
    private static final Duration DEFAULT_RETRY = Duration.ofSeconds(5);

    private final WebhookSettings settings;
    private final InboundSink sink;
    private final Clock clock;
    private final ReplayGuard replays;
    private final ReplayGuard reactionReplays;
    private final System.Logger log;

    Inbox(WebhookSettings settings, InboundSink sink, PluginStore store, Clock clock, System.Logger log) {
        this.settings = settings;
        this.sink = sink;
        this.clock = clock;
        this.replays = new ReplayGuard(store, "message");
        this.reactionReplays = new ReplayGuard(store, "reaction");
        this.log = log;
    }

    HttpReply handle(HttpInbound request) {
        boolean reaction = request.path().equals(REACTIONS) || request.path().equals(REACTIONS + "/");
        if (!reaction && !request.path().equals("/") && !request.path().isEmpty()) {
            return HttpReply.problem(
                    404,
                    "Not found",
                    "the webhook receives messages at POST /hooks/webhook and reactions at"
                            + " POST /hooks/webhook/reactions; nothing is at " + WebhookSettings.cap(request.path()));
        }
        if (!request.method().equals("POST")) {
            return HttpReply.problem(
                            405,
                            "Method not allowed",
                            "send " + (reaction ? "reactions" : "messages")
                                    + " with POST, not "
                                    + WebhookSettings.cap(request.method()))
                    .withHeader("Allow", "POST");
        }
        byte[] body = request.body();
        if (body.length > settings.maxBodyBytes()) {
            return HttpReply.problem(
                    413,
                    "Body too large",
                    "the body is " + body.length + " bytes; the limit is " + settings.maxBodyBytes()
                            + " (plugins.config.webhook.max-body-bytes)");
        }
        if (!settings.signing()) {
            return HttpReply.problem(
                    503,
                    "Webhook not configured",
                    "the webhook has no signing key; an operator must set " + "NEXUS_SECRET_WEBHOOK_SIGNING_KEY");
        }
        Instant now = clock.instant();
        Optional<String> timestampHeader = request.header(Signatures.TIMESTAMP_HEADER);
        Optional<String> signature = request.header(Signatures.SIGNATURE_HEADER);
        if (timestampHeader.isEmpty() || signature.isEmpty()) {
            return HttpReply.problem(401, "Missing signature", HOW_TO_SIGN);
        }
        String stamp = timestampHeader.get().strip();
        if (!UNIX_SECONDS.matcher(stamp).matches()) {
            return HttpReply.problem(
                    401,
                    "Invalid timestamp",
                    Signatures.TIMESTAMP_HEADER + " must be the signing time in Unix seconds, got '"
                            + WebhookSettings.cap(stamp) + "'");
        }
        long timestamp = Long.parseLong(stamp);
        if (!Signatures.verify(settings.keys(), timestamp, body, signature.get())) {
            return HttpReply.problem(
                    401,
                    "Invalid signature",
                    Signatures.SIGNATURE_HEADER + " does not match the body and " + "timestamp; " + HOW_TO_SIGN);
        }
        long skew = Math.abs(now.getEpochSecond() - timestamp);
        if (skew > settings.tolerance().toSeconds()) {
            return HttpReply.problem(
                    401,
                    "Stale request",
                    Signatures.TIMESTAMP_HEADER + " is " + skew
                            + " seconds away from the server clock; the limit is "
                            + settings.tolerance().toSeconds()
                            + ". Sign each request when sending it and check the sender's clock");
        }
        Instant signedAt = Instant.ofEpochSecond(timestamp);
        return reaction ? react(request, now, signedAt) : accept(request, now, signedAt);
    }

    private HttpReply react(HttpInbound request, Instant now, Instant signedAt) {
        WebhookReaction reaction;
        try {
            reaction = WebhookReaction.from(request.json());
        } catch (IllegalArgumentException e) {
            return HttpReply.problem(400, "Invalid reaction", e.getMessage());
        }
        Optional<String> known;
        try {
            known = reactionReplays.lookup(reaction.id());
        } catch (PluginStore.Unavailable e) {
            log.log(
                    Level.WARNING,
                    "webhook reaction " + reaction.id() + ": replay memory unavailable (" + e.getMessage()
                            + "); the sender was told to retry");
            return retryLater(
                    "Not recorded",
                    "the reaction could not be checked against replays right now; retry later" + " with the same id",
                    DEFAULT_RETRY);
        }
        if (known.isPresent()) {
            return recorded(200, known.get(), reaction.id(), true);
        }
        ReactionResult result;
        try {
            result = sink.react(reaction.toInbound(WebhookConnector.PLATFORM, now));
        } catch (RuntimeException e) {
            log.log(
                    Level.WARNING,
                    "webhook reaction " + reaction.id() + " could not be recorded; the sender was told to retry",
                    e);
            return retryLater(
                    "Not recorded", "the reaction could not be recorded; retry later with the same id", DEFAULT_RETRY);
        }
        return switch (result) {
            case ReactionResult.Accepted accepted -> {
                Instant until = (signedAt.isAfter(now) ? signedAt : now).plus(settings.tolerance());
                if (!reactionReplays.remember(reaction.id(), accepted.feedbackId(), until, now)) {
                    log.log(
                            Level.WARNING,
                            "webhook reaction replay memory could not remember " + reaction.id()
                                    + " (plugin store full or unavailable); the host's duplicate check still applies");
                }
                yield recorded(
                        accepted.duplicate() ? 200 : 202, accepted.feedbackId(), reaction.id(), accepted.duplicate());
            }
            case ReactionResult.Rejected rejected -> HttpReply.problem(400, "Reaction rejected", rejected.reason());
            case ReactionResult.RetryLater later ->
                retryLater("Not recorded", later.reason() + "; retry later with the same id", later.after());
            // An outcome newer than this plugin: nothing is known to be recorded, so the sender retries.
            default ->
                retryLater(
                        "Not recorded",
                        "the reaction could not be recorded; retry later with the same id",
                        DEFAULT_RETRY);
        };
    }

    private static HttpReply recorded(int status, String feedbackId, String externalId, boolean duplicate) {
        return HttpReply.json(
                status, ordered("feedbackId", feedbackId, "externalId", externalId, "duplicate", duplicate));
    }

    private HttpReply accept(HttpInbound request, Instant now, Instant signedAt) {
        WebhookMessage message;
        try {
            message = WebhookMessage.from(request.json(), settings);
        } catch (IllegalArgumentException e) {
            return HttpReply.problem(400, "Invalid message", e.getMessage());
        }
        Optional<String> known;
        try {
            known = replays.lookup(message.id());
        } catch (PluginStore.Unavailable e) {
            log.log(
                    Level.WARNING,
                    "webhook message " + message.id() + ": replay memory unavailable (" + e.getMessage()
                            + "); the sender was told to retry");
            return retryLater(
                    "Not stored",
                    "the host cannot store messages right now (its storage is unavailable);"
                            + " retry later with the same id",
                    DEFAULT_RETRY);
        }
        if (known.isPresent()) {
            return accepted(200, known.get(), message.id(), true);
        }
        InboundResult result;
        try {
            result = sink.deliver(message.toInbound(WebhookConnector.PLATFORM, now));
        } catch (RuntimeException e) {
            log.log(
                    Level.WARNING,
                    "webhook message " + message.id() + " could not be stored; the sender was told to retry",
                    e);
            return retryLater(
                    "Not stored", "the message could not be stored; retry later with the same id", DEFAULT_RETRY);
        }
        return switch (result) {
            case InboundResult.Accepted accepted -> {
                Instant until = (signedAt.isAfter(now) ? signedAt : now).plus(settings.tolerance());
                if (!replays.remember(message.id(), accepted.messageId(), until, now)) {
                    log.log(
                            Level.WARNING,
                            "webhook replay memory could not remember " + message.id()
                                    + " (plugin store full or unavailable); the host's duplicate check still applies");
                }
                yield accepted(
                        accepted.duplicate() ? 200 : 202, accepted.messageId(), message.id(), accepted.duplicate());
            }
            case InboundResult.Rejected rejected -> HttpReply.problem(400, "Message rejected", rejected.reason());
            case InboundResult.RetryLater later ->
                retryLater("Not stored", later.reason() + "; retry later with the same id", later.after());
            // An outcome newer than this plugin: nothing is known to be stored, so the sender retries.
            default ->
                retryLater(
                        "Not stored", "the message could not be stored; retry later with the same id", DEFAULT_RETRY);
        };
    }

    /** A 503 problem whose {@code Retry-After} (whole seconds, at least 1) says when to send the same request again. */
    static HttpReply retryLater(String title, String detail, Duration after) {
        long seconds = Math.max(1, (after.toMillis() + 999) / 1000);
        return HttpReply.problem(503, title, detail).withHeader("Retry-After", Long.toString(seconds));
    }

    private static HttpReply accepted(int status, String messageId, String externalId, boolean duplicate) {
        return HttpReply.json(
                status, ordered("messageId", messageId, "externalId", externalId, "duplicate", duplicate));
    }

    /** A JSON object with its fields in the order given (senders and tests read them in this order). */
    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2, String k3, Object v3) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put(k1, v1);
        object.put(k2, v2);
        object.put(k3, v3);
        return object;
    }
}
