package dev.nexus.host.platform;

import dev.nexus.api.PluginContext;
import dev.nexus.api.platform.DeliveryResult;
import dev.nexus.api.platform.HttpInbound;
import dev.nexus.api.platform.HttpReply;
import dev.nexus.api.platform.InboundMessage;
import dev.nexus.api.platform.InboundReaction;
import dev.nexus.api.platform.InboundResult;
import dev.nexus.api.platform.OutboundMessage;
import dev.nexus.api.platform.PlatformConnector;
import dev.nexus.api.platform.RateLimit;
import dev.nexus.api.platform.ReactionResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A platform connector for tests: {@link #receive} hands a message to the host like a real connector
 * would, {@code send} answers with scripted results (then {@code Delivered}) and records every call,
 * and {@code handle} turns {@code POST /hooks/<platform>/in} with a body {@code user|externalId|text}
 * into an inbound message. Thread-safe.
 */
final class ScriptedConnector implements PlatformConnector {

    private final String platform;
    private final ConcurrentLinkedQueue<DeliveryResult> script = new ConcurrentLinkedQueue<>();
    private final List<OutboundMessage> sent = new CopyOnWriteArrayList<>();
    private volatile PluginContext context;
    private volatile boolean stopped;
    private volatile boolean failOnStart;

    ScriptedConnector(String platform) {
        this.platform = platform;
    }

    /** Makes {@code start} throw, like a connector missing its token. */
    ScriptedConnector failingOnStart() {
        failOnStart = true;
        return this;
    }

    ScriptedConnector then(DeliveryResult... results) {
        script.addAll(List.of(results));
        return this;
    }

    List<OutboundMessage> sent() {
        return List.copyOf(sent);
    }

    boolean stopped() {
        return stopped;
    }

    InboundResult receive(String user, String externalId, String text) {
        return context.inbound()
                .deliver(new InboundMessage(
                        platform,
                        externalId,
                        user,
                        "zen-engineer",
                        Optional.empty(),
                        text,
                        Instant.parse("2024-01-01T00:00:00Z"),
                        Map.of("chat", "chat-" + user)));
    }

    /** Hands a message {@code user} wrote in the group chat {@code thread} to the host. */
    InboundResult receiveInThread(String user, String externalId, String text, String thread) {
        return context.inbound()
                .deliver(new InboundMessage(
                                platform,
                                externalId,
                                user,
                                "zen-engineer",
                                Optional.empty(),
                                text,
                                Instant.parse("2024-01-01T00:00:00Z"),
                                Map.of("chat", thread))
                        .inThread(thread));
    }

    /** Hands a reaction by {@code user} to the reply {@code reply} to the host, like a real connector would. */
    ReactionResult react(
            String user,
            String externalId,
            String reply,
            Optional<InboundReaction.Thumbs> thumbs,
            OptionalInt rating,
            String... critiques) {
        return context.inbound()
                .react(new InboundReaction(
                        platform,
                        externalId,
                        user,
                        reply,
                        thumbs,
                        rating,
                        List.of(critiques),
                        Instant.parse("2024-01-01T00:01:00Z")));
    }

    @Override
    public String platform() {
        return platform;
    }

    @Override
    public RateLimit rateLimit() {
        return RateLimit.perSecond(1000);
    }

    @Override
    public void start(PluginContext value) {
        if (failOnStart) {
            throw new IllegalStateException("missing token");
        }
        this.context = value;
    }

    @Override
    public DeliveryResult send(OutboundMessage message) {
        sent.add(message);
        DeliveryResult next = script.poll();
        return next == null ? new DeliveryResult.Delivered("out-" + sent.size()) : next;
    }

    @Override
    public Optional<HttpReply> handle(HttpInbound request) {
        if (!request.method().equals("POST") || !request.path().equals("/in")) {
            return Optional.of(HttpReply.problem(404, "Not found", "only POST /in"));
        }
        String[] parts = new String(request.body(), StandardCharsets.UTF_8).split("\\|", 3);
        if (parts.length != 3) {
            return Optional.of(HttpReply.problem(400, "Bad body", "expected user|externalId|text"));
        }
        InboundResult result = receive(parts[0], parts[1], parts[2]);
        return Optional.of(
                switch (result) {
                    case InboundResult.Accepted accepted ->
                        HttpReply.json(
                                202,
                                "{\"id\":\"" + accepted.messageId() + "\",\"duplicate\":" + accepted.duplicate() + "}");
                    case InboundResult.Rejected rejected -> HttpReply.problem(422, "Rejected", rejected.reason());
                    default -> HttpReply.problem(503, "Try again", "not stored; send it again later");
                });
    }

    @Override
    public void stop() {
        stopped = true;
    }
}
