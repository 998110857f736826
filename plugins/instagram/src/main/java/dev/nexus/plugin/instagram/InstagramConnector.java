package dev.nexus.plugin.instagram;

import dev.nexus.api.ConfigReader;
import dev.nexus.api.PluginContext;
import dev.nexus.api.platform.DeliveryResult;
import dev.nexus.api.platform.HttpInbound;
import dev.nexus.api.platform.HttpReply;
import dev.nexus.api.platform.InboundMessage;
import dev.nexus.api.platform.InboundResult;
import dev.nexus.api.platform.OutboundMessage;
import dev.nexus.api.platform.RateLimit;
import dev.nexus.api.platform.RunningConnector;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Instagram through the Graph API, as a personality's account: a message with no {@code inReplyTo} is a
 * <b>post</b> (the admin's {@code media-url} image with the text as caption: container create, status
 * polling, publish, after checking the 24-hour publishing cap with {@code content_publishing_limit}); a
 * message answering a comment is a <b>reply</b> to that comment. Comments arrive through Instagram
 * webhooks at {@code /hooks/instagram} (signed {@code X-Hub-Signature-256} with the app secret) and
 * become inbound messages, one conversation per post.
 *
 * <p>A post is published at most once per message id: the container and the published media id are kept
 * in the plugin store, so a retry after a crash reuses the container or reports the post already made.
 * Secrets ({@code access-token}, {@code app-secret}) are read at each call, so setting them in the vault
 * takes effect at once. Thread-safe.
 */
@org.pf4j.Extension
public final class InstagramConnector extends RunningConnector<PluginContext> {

    static final String PLATFORM = "instagram";
    static final String COMMENT = "comment";
    static final String MEDIA = "media";
    static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
    /** The cap Instagram documents for API-published posts in a moving 24-hour window. */
    static final int DEFAULT_QUOTA = 25;

    /** Instagram's own pace for API calls; the 24-hour publishing cap is checked per post. */
    private static final RateLimit RATE_LIMIT = new RateLimit(1, Duration.ofSeconds(1));

    /** Creates the connector; PF4J calls this. */
    public InstagramConnector() {
        super(PLATFORM, RATE_LIMIT);
    }

    /** Checks the required configuration; secrets and the rest are read at each call. */
    @Override
    protected PluginContext open(PluginContext context) {
        ConfigReader read = new ConfigReader("instagram", context.config());
        for (String key : List.of("personality", "ig-user-id")) {
            read.required(key, "set plugins.config.instagram." + key + " (docs/instagram.md)");
        }
        read.check();
        return context;
    }

    @Override
    protected RateLimit rateLimit(PluginContext running) {
        return RATE_LIMIT;
    }

    @Override
    protected DeliveryResult send(PluginContext ctx, OutboundMessage message) {
        Optional<String> token = ctx.secret("access-token").filter(t -> !t.isBlank());
        if (token.isEmpty()) {
            return new DeliveryResult.RetryLater(
                    Duration.ofMinutes(5), "no Instagram access token: PUT /v1/secrets/instagram/access-token");
        }
        GraphApi api = new GraphApi(
                ctx.config().string("api-url").orElse("https://graph.facebook.com/v21.0"),
                token.get(),
                Duration.ofMillis(ctx.config().integer("request-timeout-ms", 10_000)));
        try {
            String comment = message.replyTo().get(COMMENT);
            return comment != null && !comment.isBlank()
                    ? reply(api, comment, message.text())
                    : post(ctx, api, message);
        } catch (GraphApi.Failure e) {
            return e.retriable()
                    ? new DeliveryResult.RetryLater(Duration.ofSeconds(30), e.getMessage())
                    : new DeliveryResult.Failed(e.getMessage());
        }
    }

    private static DeliveryResult reply(GraphApi api, String comment, String text) {
        Map<String, Object> answer = api.post("/" + comment + "/replies", Map.of("message", text));
        return new DeliveryResult.Delivered(String.valueOf(answer.get("id")));
    }

    private DeliveryResult post(PluginContext ctx, GraphApi api, OutboundMessage message) {
        String account = ctx.config().string("ig-user-id").orElseThrow();
        Optional<String> media = ctx.config().string("media-url");
        if (media.isEmpty()) {
            return new DeliveryResult.Failed(
                    "a post needs an image: set plugins.config.instagram.media-url to a public JPEG URL");
        }
        String key = "post:" + message.messageId();
        Optional<String> published = ctx.store().get(key + ":published");
        if (published.isPresent()) {
            return new DeliveryResult.Delivered(published.get()); // published before a crash or a lost answer
        }
        Optional<String> reason = capReached(api, account);
        if (reason.isPresent()) {
            return new DeliveryResult.RetryLater(Duration.ofHours(1), reason.get());
        }
        String container = ctx.store().get(key + ":container").orElse("");
        if (container.isEmpty()) {
            Map<String, Object> created =
                    api.post("/" + account + "/media", Map.of("image_url", media.get(), "caption", message.text()));
            container = String.valueOf(created.get("id"));
            ctx.store().put(key + ":container", container, Duration.ofHours(24));
        }
        long polls = ctx.config().integer("status-polls", 10);
        long pause = ctx.config().integer("status-poll-millis", 2_000);
        for (int i = 0; i < polls; i++) {
            String status = String.valueOf(
                    api.get("/" + container, Map.of("fields", "status_code")).get("status_code"));
            switch (status) {
                case "FINISHED" -> {
                    Map<String, Object> done =
                            api.post("/" + account + "/media_publish", Map.of("creation_id", container));
                    String id = String.valueOf(done.get("id"));
                    ctx.store().put(key + ":published", id, Duration.ofDays(7));
                    return new DeliveryResult.Delivered(id);
                }
                case "PUBLISHED" -> {
                    return new DeliveryResult.Delivered(container);
                }
                case "ERROR", "EXPIRED" -> {
                    ctx.store().delete(key + ":container");
                    return new DeliveryResult.RetryLater(
                            Duration.ofMinutes(1),
                            "Instagram could not process the media container (" + status
                                    + "); a new one is made at the next attempt. Check that media-url is a public JPEG");
                }
                default -> sleep(pause);
            }
        }
        return new DeliveryResult.RetryLater(Duration.ofSeconds(30), "the media container is still being processed");
    }

    /** Asks Instagram how many posts the account published in the last 24 hours; the reason when no more may be. */
    @SuppressWarnings("unchecked")
    private static Optional<String> capReached(GraphApi api, String account) {
        Map<String, Object> limit =
                api.get("/" + account + "/content_publishing_limit", Map.of("fields", "quota_usage,config"));
        if (!(limit.get("data") instanceof List<?> data)
                || data.isEmpty()
                || !(data.get(0) instanceof Map<?, ?> first)) {
            return Optional.empty();
        }
        Map<String, Object> entry = (Map<String, Object>) first;
        long used = entry.get("quota_usage") instanceof Number n ? n.longValue() : 0;
        long total = entry.get("config") instanceof Map<?, ?> config && config.get("quota_total") instanceof Number t
                ? t.longValue()
                : DEFAULT_QUOTA;
        return used >= total
                ? Optional.of("publishing cap reached: " + used + " of " + total + " posts in 24 hours")
                : Optional.empty();
    }

    @Override
    public Optional<HttpReply> handle(HttpInbound request) {
        Optional<PluginContext> running = running();
        if (running.isEmpty()) {
            return Optional.of(notRunning());
        }
        PluginContext ctx = running.get();
        if (request.method().equals("GET")) {
            return Optional.of(verify(ctx, request));
        }
        if (!request.method().equals("POST")) {
            return Optional.of(
                    HttpReply.problem(405, "Method not allowed", "Instagram webhooks are GET (verification) or POST"));
        }
        Optional<String> secret = ctx.secret("app-secret").filter(s -> !s.isBlank());
        if (secret.isEmpty()) {
            return Optional.of(
                    HttpReply.problem(503, "Not configured", "no app secret: PUT /v1/secrets/instagram/app-secret"));
        }
        if (!signed(request, secret.get())) {
            return Optional.of(HttpReply.problem(401, "Bad signature", "X-Hub-Signature-256 does not match the body"));
        }
        Map<String, Object> body;
        try {
            body = request.json();
        } catch (IllegalArgumentException e) {
            return Optional.of(HttpReply.problem(400, "Bad body", "the body is not a JSON object"));
        }
        List<InboundMessage> comments;
        try {
            comments = Comments.of(
                    body,
                    ctx.config().string("personality").orElseThrow(),
                    ctx.config().string("ig-user-id").orElseThrow(),
                    ctx.clock().instant());
        } catch (IllegalArgumentException e) {
            return Optional.of(HttpReply.problem(400, "Bad notification", e.getMessage()));
        }
        for (InboundMessage comment : comments) {
            InboundResult result = ctx.inbound().deliver(comment);
            if (result instanceof InboundResult.RetryLater later) {
                return Optional.of(HttpReply.problem(503, "Try again", later.reason()));
            }
        }
        return Optional.of(HttpReply.json(200, Map.of("received", comments.size())));
    }

    /** Webhook verification: {@code hub.mode=subscribe}, {@code hub.verify_token} equal to the secret {@code verify-token}. */
    private static HttpReply verify(PluginContext ctx, HttpInbound request) {
        Map<String, String> query = Comments.query(request.path());
        Optional<String> expected = ctx.secret("verify-token").filter(s -> !s.isBlank());
        if (expected.isPresent()
                && "subscribe".equals(query.get("hub.mode"))
                && MessageDigest.isEqual(
                        expected.get().getBytes(StandardCharsets.UTF_8),
                        query.getOrDefault("hub.verify_token", "").getBytes(StandardCharsets.UTF_8))) {
            return new HttpReply(
                    200,
                    "text/plain",
                    Map.of(),
                    query.getOrDefault("hub.challenge", "").getBytes(StandardCharsets.UTF_8));
        }
        return HttpReply.problem(
                403, "Verification refused", "hub.verify_token does not match the secret verify-token");
    }

    static boolean signed(HttpInbound request, String secret) {
        Optional<String> header = request.header(SIGNATURE_HEADER);
        if (header.isEmpty() || !header.get().startsWith("sha256=")) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal(request.body());
            byte[] given = HexFormat.of().parseHex(header.get().substring("sha256=".length()));
            return MessageDigest.isEqual(expected, given);
        } catch (IllegalArgumentException e) {
            return false;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GraphApi.Failure("interrupted while waiting for the media container", true);
        }
    }
}
