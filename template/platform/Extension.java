package @PACKAGE@;

import dev.nexus.api.PluginContext;
import dev.nexus.api.platform.DeliveryResult;
import dev.nexus.api.platform.HttpInbound;
import dev.nexus.api.platform.HttpReply;
import dev.nexus.api.platform.InboundMessage;
import dev.nexus.api.platform.InboundResult;
import dev.nexus.api.platform.OutboundMessage;
import dev.nexus.api.platform.PlatformConnector;
import dev.nexus.api.platform.RateLimit;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.pf4j.Extension;

/**
 * The {@code @ID@} platform: takes {@code POST /hooks/@ID@} with the message as a plain-text body, the
 * sender's message id in {@code X-Message-Id}, the user in {@code X-User} and
 * {@code X-Signature: sha256=<hex HMAC-SHA256 of the body with the shared secret>}; replies are only
 * logged. Replace {@link #send} with a call to your platform's API.
 *
 * <p>Secret: {@code NEXUS_SECRET_@ENV_ID@_TOKEN}, at least 16 characters (read as
 * {@code context.secret("token")}).
 * Configuration, section {@code plugins.config.@ID@}: {@code personality}, who answers (default
 * {@code zen-engineer}).
 */
@Extension
public final class @CLASS@ implements PlatformConnector {

    static final int MAX_ID = 200;

    private volatile PluginContext context;
    private volatile byte[] token;
    private volatile String personality;

    @Override
    public String platform() {
        return "@ID@";
    }

    @Override
    public RateLimit rateLimit() {
        return RateLimit.perSecond(5);
    }

    @Override
    public void start(PluginContext started) {
        // Fail at start, naming the fix, rather than on the first request.
        String secret = started.secret("token").filter(value -> value.length() >= 16).orElseThrow(() ->
                new IllegalArgumentException("@ID@ needs the secret NEXUS_SECRET_@ENV_ID@_TOKEN (at least 16 characters)"));
        token = secret.getBytes(StandardCharsets.UTF_8);
        personality = started.config().string("personality").orElse("zen-engineer");
        context = started;
    }

    @Override
    public Optional<HttpReply> handle(HttpInbound request) {
        PluginContext current = context;
        if (current == null) {
            return Optional.of(HttpReply.problem(503, "Not started", "the @ID@ connector is not running; try again later"));
        }
        if (!"POST".equals(request.method())) {
            return Optional.of(HttpReply.problem(405, "Method not allowed", "send messages with POST"));
        }
        // The host does not authenticate /hooks/...: the connector must (here: a signature over the
        // body, compared in constant time, so a changed body is refused too).
        byte[] given = request.header("X-Signature").orElse("").getBytes(StandardCharsets.UTF_8);
        byte[] expected = ("sha256=" + sign(token, request.body())).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, expected)) {
            return Optional.of(HttpReply.problem(401, "Unauthorized",
                    "send X-Signature: sha256=<hex HMAC-SHA256 of the body with the shared secret>"));
        }
        String id = request.header("X-Message-Id").orElse("").strip();
        String user = request.header("X-User").orElse("").strip();
        String text = new String(request.body(), StandardCharsets.UTF_8).strip();
        if (id.isEmpty() || id.length() > MAX_ID || user.isEmpty() || user.length() > MAX_ID || text.isEmpty()) {
            return Optional.of(HttpReply.problem(400, "Invalid message",
                    "send X-Message-Id and X-User (1-" + MAX_ID + " characters each) and a non-empty text body"));
        }
        InboundResult result = current.inbound().deliver(new InboundMessage("@ID@", id, user, personality,
                Optional.empty(), text, current.clock().instant(), Map.of()));
        return Optional.of(switch (result) {
            case InboundResult.Accepted accepted -> HttpReply.json(accepted.duplicate() ? 200 : 202,
                    Map.of("id", accepted.messageId(), "duplicate", accepted.duplicate()));
            case InboundResult.Rejected rejected -> HttpReply.problem(400, "Rejected", rejected.reason());
            // RetryLater (the host cannot store right now) and any outcome newer than this plugin: retry.
            default -> HttpReply.problem(503, "Try again", "not stored; send the same X-Message-Id again later");
        });
    }

    @Override
    public DeliveryResult send(OutboundMessage message) {
        PluginContext current = context;
        if (current == null) {
            return new DeliveryResult.Failed("the @ID@ connector is not started");
        }
        // A real connector calls its platform here, with message.messageId() as the idempotency key, and
        // returns RetryLater for timeouts, 429 and 5xx, Failed for permanent errors.
        System.getLogger(current.loggerName()).log(System.Logger.Level.DEBUG, "reply " + message.messageId() + " ready");
        return new DeliveryResult.Delivered(message.messageId());
    }

    @Override
    public void stop() {
        context = null;
    }

    /** Returns the hex HMAC-SHA256 of {@code body} with {@code key}. */
    static String sign(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
