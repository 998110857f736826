package dev.nexus.plugin.discord;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.JsonWriter;
import dev.nexus.api.platform.ConnectorHealth;
import dev.nexus.api.platform.DeliveryResult;
import dev.nexus.api.platform.HttpInbound;
import dev.nexus.api.platform.HttpReply;
import dev.nexus.api.platform.InboundMessage;
import dev.nexus.api.platform.InboundReaction;
import dev.nexus.api.platform.OutboundMessage;
import dev.nexus.api.platform.PlatformConnector;
import dev.nexus.api.platform.PlatformConnectorContract;
import dev.nexus.api.testing.FakePluginContext;
import dev.nexus.host.platform.HookRequests;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract (through the Ed25519-signed interactions endpoint), plus the Gateway (identify, heartbeats,
 * resume after a drop, op 7, op 9, restart), the reply policy, REST replies within rate limits and
 * reactions, against a local fake Discord.
 */
class DiscordConnectorTest extends PlatformConnectorContract {

    static final KeyPair KEYS = keys();
    private static FakeDiscord discord;

    static KeyPair keys() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The raw 32-byte public key as the Developer Portal shows it (the X.509 encoding's last 32 bytes). */
    static String publicKeyHex() {
        byte[] encoded = KEYS.getPublic().getEncoded();
        return HexFormat.of().formatHex(encoded, encoded.length - 32, encoded.length);
    }

    @BeforeAll
    static void startDiscord() {
        discord = new FakeDiscord(200);
    }

    @AfterAll
    static void stopDiscord() {
        discord.close();
    }

    static FakePluginContext context(FakeDiscord fake, Map<String, Object> extra) {
        return FakePluginContext.builder("discord")
                .config(Map.of("personality", "zen-engineer", "api-url", fake.apiUrl(), "public-key", publicKeyHex()))
                .config(extra)
                .secret("bot-token", FakeDiscord.TOKEN)
                .startingAt(Instant.now())
                .build();
    }

    @Override
    protected PlatformConnector newConnector() {
        return new DiscordConnector();
    }

    @Override
    protected FakePluginContext newContext() {
        return context(discord, Map.of());
    }

    @Override
    protected Optional<HttpInbound> validInbound(FakePluginContext context, String externalId) {
        return Optional.of(signed(
                command(externalId, "How do I stay calm?"),
                context.clock().instant().getEpochSecond()));
    }

    static String command(String id, String question) {
        Map<String, Object> interaction = new LinkedHashMap<>();
        interaction.put("id", id);
        interaction.put("application_id", "555");
        interaction.put("type", 2);
        interaction.put("token", "interaction-token-" + id);
        interaction.put("version", 1);
        interaction.put("channel_id", "777");
        interaction.put("user", Map.of("id", "42", "username", "ada"));
        interaction.put(
                "data",
                Map.of(
                        "id",
                        "900",
                        "name",
                        "ask",
                        "type",
                        1,
                        "options",
                        List.of(Map.of("name", "question", "type", 3, "value", question))));
        return JsonWriter.write(interaction);
    }

    static HttpInbound signed(String body, long timestamp) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(KEYS.getPrivate());
            signer.update((timestamp + body).getBytes(StandardCharsets.UTF_8));
            String signature = HexFormat.of().formatHex(signer.sign());
            return HookRequests.of(
                    "POST",
                    "/",
                    Map.of(
                            "Content-Type",
                            List.of("application/json"),
                            DiscordConnector.SIGNATURE,
                            List.of(signature),
                            DiscordConnector.TIMESTAMP,
                            List.of(Long.toString(timestamp))),
                    body.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(HttpReply reply) {
        return new String(reply.body(), StandardCharsets.UTF_8);
    }

    private static void awaitReady(FakeDiscord fake, PlatformConnector connector) throws InterruptedException {
        fake.await(
                "the gateway is connected",
                () -> connector.health().orElseThrow().state() == ConnectorHealth.State.CONNECTED);
    }

    @Test
    void interactions_ping_isAnsweredWithPong() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);

        HttpReply reply = connector
                .handle(signed(
                        "{\"id\":\"1\",\"application_id\":\"555\",\"type\":1,\"token\":\"t\",\"version\":1}",
                        context.clock().instant().getEpochSecond()))
                .orElseThrow();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(text(reply)).isEqualTo("{\"type\":1}");
    }

    @Test
    void interactions_aStaleOrForgedSignature_isRefused401() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        long now = context.clock().instant().getEpochSecond();
        HttpInbound stale = signed(command("c-stale", "hi"), now - 3600);
        HttpInbound good = signed(command("c-forged", "hi"), now);
        HttpInbound forged = HookRequests.of(
                "POST",
                "/",
                good.headers(),
                command("c-forged", "something else").getBytes(StandardCharsets.UTF_8));

        assertThat(connector.handle(stale).orElseThrow().status()).isEqualTo(401);
        assertThat(connector.handle(forged).orElseThrow().status()).isEqualTo(401);
        assertThat(context.inbound().messages()).isEmpty();
    }

    @Test
    void interactions_aSlashCommand_isDeferredAndTheReplyGoesToTheFollowUpWebhook() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);

        HttpReply reply =
                connector.handle(validInbound(context, "cmd-1").orElseThrow()).orElseThrow();
        InboundMessage message = context.inbound().messages().get(0);
        DeliveryResult sent = connector.send(
                new OutboundMessage("r-cmd", "cmd-1", "c", "zen-engineer", "Breathe.", message.replyTo(), 1));

        assertThat(text(reply)).isEqualTo("{\"type\":5}");
        assertThat(message.text()).isEqualTo("How do I stay calm?");
        assertThat(message.user()).isEqualTo("42");
        assertThat(sent).isInstanceOf(DeliveryResult.Delivered.class);
        assertThat(discord.calls("created followup 555/interaction-token-cmd-1"))
                .singleElement()
                .satisfies(call -> assertThat(call.body()).containsEntry("content", "Breathe."));
    }

    @Test
    void gateway_identifiesWithIntents_heartbeats_andTakesDmsAndGuildMentionsOnly() throws InterruptedException {
        try (FakeDiscord fake = new FakeDiscord(100)) {
            FakePluginContext context = context(fake, Map.of());
            PlatformConnector connector = start(context);
            awaitReady(fake, connector);

            fake.dispatch("MESSAGE_CREATE", FakeDiscord.message("101", "9", null, "42", "hello in private", false));
            fake.dispatch("MESSAGE_CREATE", FakeDiscord.message("102", "50", "60", "42", "just chatting", false));
            fake.dispatch("MESSAGE_CREATE", FakeDiscord.message("103", "50", "60", "43", "what do you think?", true));
            Map<String, Object> reply =
                    new LinkedHashMap<>(FakeDiscord.message("104", "50", "60", "44", "and me?", false));
            reply.put(
                    "referenced_message", FakeDiscord.message("99", "50", "60", FakeDiscord.BOT_ID, "earlier", false));
            fake.dispatch("MESSAGE_CREATE", reply);
            fake.dispatch(
                    "MESSAGE_CREATE", FakeDiscord.message("105", "50", "60", FakeDiscord.BOT_ID, "my own", false));
            List<InboundMessage> messages = context.inbound().awaitMessages(3, Duration.ofSeconds(30));
            fake.await("two heartbeats", () -> fake.calls("op 1").size() >= 2);

            assertThat(fake.calls("op 2"))
                    .singleElement()
                    .satisfies(identify -> assertThat(identify.body())
                            .containsEntry("intents", 46593)
                            .containsEntry("token", FakeDiscord.TOKEN));
            assertThat(messages).extracting(InboundMessage::externalId).containsExactly("101", "103", "104");
            assertThat(messages.get(0).thread()).isEmpty();
            assertThat(messages.get(1).thread()).contains("50");
            assertThat(messages.get(1).text()).isEqualTo("@nexus what do you think?");
            assertThat(messages.get(2).thread()).contains("50");
        }
    }

    @Test
    void gateway_afterADroppedConnection_resumesAndGetsWhatItMissed_once() throws InterruptedException {
        try (FakeDiscord fake = new FakeDiscord(100)) {
            FakePluginContext context = context(fake, Map.of());
            PlatformConnector connector = start(context);
            awaitReady(fake, connector);
            fake.dispatch("MESSAGE_CREATE", FakeDiscord.message("201", "9", null, "42", "before", false));
            context.inbound().awaitMessages(1, Duration.ofSeconds(30));

            fake.dropConnection();
            fake.dispatch("MESSAGE_CREATE", FakeDiscord.message("202", "9", null, "42", "while away", false));
            fake.await("a resume", () -> !fake.calls("op 6").isEmpty());
            context.inbound().awaitMessages(2, Duration.ofSeconds(30));
            fake.askToReconnect();
            fake.await("a second resume", () -> fake.calls("op 6").size() >= 2);
            fake.dispatch("MESSAGE_CREATE", FakeDiscord.message("203", "9", null, "42", "after op 7", false));
            context.inbound().awaitMessages(3, Duration.ofSeconds(30));

            assertThat(fake.calls("op 2")).hasSize(1);
            assertThat(fake.calls("op 6").get(0).body()).containsEntry("session_id", "session-1");
            assertThat(context.inbound().messages())
                    .extracting(InboundMessage::externalId)
                    .containsExactly("201", "202", "203");
        }
    }

    @Test
    void gateway_aRestartedConnector_resumesTheStoredSession_andAnExpiredOneIdentifiesAnew()
            throws InterruptedException {
        try (FakeDiscord fake = new FakeDiscord(100)) {
            FakePluginContext context = context(fake, Map.of());
            PlatformConnector first = start(context);
            awaitReady(fake, first);
            fake.dispatch("MESSAGE_CREATE", FakeDiscord.message("301", "9", null, "42", "one", false));
            context.inbound().awaitMessages(1, Duration.ofSeconds(30));
            first.stop();

            fake.dispatch("MESSAGE_CREATE", FakeDiscord.message("302", "9", null, "42", "while restarting", false));
            PlatformConnector second = start(context);
            context.inbound().awaitMessages(2, Duration.ofSeconds(30));
            second.stop();
            fake.expireSession();
            PlatformConnector third = start(context);
            fake.await("a fresh identify after op 9", () -> fake.calls("op 2").size() == 2);
            awaitReady(fake, third);

            assertThat(context.inbound().messages())
                    .extracting(InboundMessage::externalId)
                    .containsExactly("301", "302");
            assertThat(context.inbound().calls()).isEqualTo(2);
        }
    }

    @Test
    void gateway_noHeartbeatAck_closesTheZombieConnectionAndResumes() throws InterruptedException {
        try (FakeDiscord fake = new FakeDiscord(100)) {
            FakePluginContext context = context(fake, Map.of());
            PlatformConnector connector = start(context);
            awaitReady(fake, connector);

            fake.ackHeartbeats(false);
            fake.await("a resume after missing ACKs", () -> !fake.calls("op 6").isEmpty());
            fake.ackHeartbeats(true);
        }
    }

    @Test
    void gateway_aRefusedToken_isFailingWithTheSecretToFix() throws InterruptedException {
        try (FakeDiscord fake = new FakeDiscord(100)) {
            fake.refuseToken();
            FakePluginContext context = context(fake, Map.of());
            PlatformConnector connector = start(context);

            fake.await("failing", () -> connector.health().orElseThrow().state() == ConnectorHealth.State.FAILING);

            assertThat(connector.health().orElseThrow().lastError())
                    .hasValueSatisfying(
                            error -> assertThat(error).contains("4004").contains("NEXUS_SECRET_DISCORD_BOT_TOKEN"));
        }
    }

    @Test
    void send_inAGuild_repliesToTheMessage_withoutPinging_andSplitsAt2000() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        String text = "word ".repeat(900); // 4500 characters: three parts

        DeliveryResult sent = connector.send(new OutboundMessage(
                "r-guild",
                "103",
                "c",
                "zen-engineer",
                text,
                Map.of(Events.CHANNEL, "5001", Events.MESSAGE, "103", Events.GUILD, "60"),
                1));

        assertThat(sent).isInstanceOf(DeliveryResult.Delivered.class);
        List<FakeDiscord.Call> parts = discord.calls("created 5001");
        assertThat(parts).hasSize(3).allSatisfy(part -> {
            assertThat(((String) part.body().get("content")).length()).isLessThanOrEqualTo(Outbox.LIMIT);
            assertThat(part.body()).containsEntry("allowed_mentions", Map.of("parse", List.of()));
        });
        assertThat(parts.get(0).body())
                .containsEntry("message_reference", Map.of("message_id", "103", "fail_if_not_exists", false));
        assertThat(parts.get(1).body()).doesNotContainKey("message_reference");
        assertThat(((DeliveryResult.Delivered) sent).externalId())
                .isEqualTo(parts.get(0).body().get("_id"));
    }

    @Test
    void send_a429_isRetryLaterAfterRetryAfter_andAUsedUpBucketWaitsWithoutCallingDiscord() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        Map<String, String> to = Map.of(Events.CHANNEL, "5002", Events.MESSAGE, "1");
        discord.rateLimitNextSend(0.25);

        DeliveryResult limited = connector.send(new OutboundMessage("r-429", "1", "c", "zen-engineer", "Hi.", to, 1));
        context.clock().advance(Duration.ofMillis(300));
        discord.exhaustBucket(30);
        DeliveryResult first =
                connector.send(new OutboundMessage("r-bucket-1", "1", "c", "zen-engineer", "One.", to, 1));
        int before = discord.calls("created 5002").size()
                + discord.calls("limited 5002").size();
        DeliveryResult waiting =
                connector.send(new OutboundMessage("r-bucket-2", "1", "c", "zen-engineer", "Two.", to, 1));

        assertThat(limited)
                .isInstanceOfSatisfying(
                        DeliveryResult.RetryLater.class,
                        retry -> assertThat(retry.after()).isEqualTo(Duration.ofMillis(250)));
        assertThat(first).isInstanceOf(DeliveryResult.Delivered.class);
        assertThat(waiting).isInstanceOfSatisfying(DeliveryResult.RetryLater.class, retry -> {
            assertThat(retry.after()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30));
            assertThat(retry.reason()).contains("bucket");
        });
        assertThat(discord.calls("created 5002").size()
                        + discord.calls("limited 5002").size())
                .isEqualTo(before);
    }

    @Test
    void gateway_aThumbsUpOnTheBotsReply_isFeedbackOnIt() throws InterruptedException {
        try (FakeDiscord fake = new FakeDiscord(100)) {
            FakePluginContext context = context(fake, Map.of());
            PlatformConnector connector = start(context);
            awaitReady(fake, connector);
            DeliveryResult sent = connector.send(new OutboundMessage(
                    "r-react", "1", "c", "zen-engineer", "x".repeat(2500), Map.of(Events.CHANNEL, "9"), 1));
            String secondPart = (String) fake.calls("created 9").get(1).body().get("_id");

            fake.dispatch("MESSAGE_REACTION_ADD", FakeDiscord.reaction("42", "9", secondPart, "👍"));
            fake.dispatch("MESSAGE_REACTION_ADD", FakeDiscord.reaction("42", "9", secondPart, "🤔"));
            fake.dispatch("MESSAGE_CREATE", FakeDiscord.message("401", "9", null, "42", "marker", false));
            context.inbound().awaitMessages(1, Duration.ofSeconds(30));

            assertThat(context.inbound().reactions()).singleElement().satisfies(reaction -> {
                assertThat(reaction.reply()).isEqualTo(((DeliveryResult.Delivered) sent).externalId());
                assertThat(reaction.thumbs()).contains(InboundReaction.Thumbs.UP);
            });
        }
    }
}
