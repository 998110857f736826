package dev.nexus.plugin.telegram;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract (in webhook mode, where Telegram POSTs updates with the secret token), plus long polling,
 * the reply policy, offsets, sending (MarkdownV2, splits, 429) and reactions against a local fake Bot API.
 */
class TelegramConnectorTest extends PlatformConnectorContract {

    static final String SECRET = "webhook-secret_0123456789";

    private static FakeTelegram telegram;

    @BeforeAll
    static void startTelegram() throws IOException {
        telegram = new FakeTelegram();
    }

    @AfterAll
    static void stopTelegram() {
        telegram.close();
    }

    @Override
    protected PlatformConnector newConnector() {
        return new TelegramConnector();
    }

    @Override
    protected FakePluginContext newContext() {
        return webhookContext(telegram);
    }

    static FakePluginContext webhookContext(FakeTelegram fake) {
        return FakePluginContext.builder("telegram")
                .config(Map.of("personality", "zen-engineer", "mode", "webhook", "api-url", fake.url()))
                .secret("bot-token", FakeTelegram.TOKEN)
                .secret("webhook-secret", SECRET)
                .build();
    }

    static FakePluginContext pollingContext(FakeTelegram fake, Map<String, Object> extra) {
        return FakePluginContext.builder("telegram")
                .config(Map.of("personality", "zen-engineer", "api-url", fake.url(), "poll-timeout-seconds", 1))
                .config(extra)
                .secret("bot-token", FakeTelegram.TOKEN)
                .build();
    }

    /** Telegram's message ids are numbers: a name becomes a stable one. */
    private static long numberOf(String name) {
        return Math.abs((long) name.hashCode()) % 1_000_000_000L;
    }

    @Override
    protected String externalIdOf(String name) {
        return "42:" + numberOf(name);
    }

    @Override
    protected Optional<HttpInbound> validInbound(FakePluginContext context, String externalId) {
        long id = numberOf(externalId);
        Map<String, Object> update = new java.util.LinkedHashMap<>();
        update.put("update_id", id);
        update.putAll(FakeTelegram.privateMessage(id, 42, "Hello there"));
        return Optional.of(webhookPost(dev.nexus.api.JsonWriter.write(update), SECRET));
    }

    static HttpInbound webhookPost(String body, String secret) {
        return HookRequests.of(
                "POST",
                "/",
                Map.of("Content-Type", List.of("application/json"), TelegramConnector.SECRET_HEADER, List.of(secret)),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static OutboundMessage reply(String id, String chat, String text) {
        return new OutboundMessage(
                id, chat + ":1", "c-1", "zen-engineer", text, Map.of(Updates.CHAT, chat, Updates.MESSAGE, "1"), 1);
    }

    @Test
    void webhook_wrongSecretToken_isRefused401AndDeliversNothing() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        String body =
                "{\"update_id\":1,\"message\":{\"message_id\":1,\"from\":{\"id\":7,\"is_bot\":false,\"first_name\":\"A\"},"
                        + "\"chat\":{\"id\":7,\"type\":\"private\"},\"date\":1,\"text\":\"hi\"}}";

        HttpReply reply = connector.handle(webhookPost(body, "not-the-secret")).orElseThrow();

        assertThat(reply.status()).isEqualTo(401);
        assertThat(new String(reply.body(), StandardCharsets.UTF_8))
                .contains(TelegramConnector.SECRET_HEADER)
                .doesNotContain(SECRET);
        assertThat(context.inbound().messages()).isEmpty();
    }

    @Test
    void webhook_privateMessage_isDeliveredAsTheSendersOwnDirectConversation() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);

        HttpReply reply = connector
                .handle(validInbound(context, "private-1").orElseThrow())
                .orElseThrow();

        assertThat(reply.status()).isEqualTo(200);
        InboundMessage message = context.inbound().messages().get(0);
        assertThat(message.platform()).isEqualTo("telegram");
        assertThat(message.user()).isEqualTo("42");
        assertThat(message.thread()).isEmpty();
        assertThat(message.text()).isEqualTo("Hello there");
        assertThat(message.replyTo()).containsEntry(Updates.CHAT, "42");
    }

    @Test
    void polling_deliversEachUpdateOnce_andResumesFromTheStoredOffsetAfterARestart()
            throws InterruptedException, IOException {
        try (FakeTelegram fake = new FakeTelegram()) {
            FakePluginContext context = pollingContext(fake, Map.of());
            fake.push(FakeTelegram.privateMessage(10, 7, "first"));
            PlatformConnector first = start(context);
            context.inbound().awaitMessages(1, Duration.ofSeconds(30));
            fake.await(
                    "the offset after update 1 is confirmed",
                    () -> context.store().get(Link.OFFSET).equals(Optional.of("2")));
            first.stop();

            fake.push(FakeTelegram.privateMessage(11, 7, "second"));
            PlatformConnector second = start(context);
            context.inbound().awaitMessages(2, Duration.ofSeconds(30));
            second.stop();

            assertThat(context.inbound().messages())
                    .extracting(InboundMessage::externalId)
                    .containsExactly("7:10", "7:11");
            assertThat(context.inbound().calls()).isEqualTo(2);
            List<FakeTelegram.Call> polls = fake.calls("getUpdates");
            assertThat(polls).anySatisfy(call -> assertThat(call.parameters()).containsEntry("offset", 2));
            assertThat(polls.get(0).parameters())
                    .containsEntry("allowed_updates", List.of("message", "message_reaction"));
        }
    }

    @Test
    void polling_whileTheHostCannotStore_keepsTheUpdateAndDeliversItOnRecovery()
            throws InterruptedException, IOException {
        try (FakeTelegram fake = new FakeTelegram()) {
            FakePluginContext context = pollingContext(fake, Map.of());
            context.inbound().failWith(new IllegalStateException("database down"));
            fake.push(FakeTelegram.privateMessage(20, 8, "are you there?"));
            PlatformConnector connector = start(context);
            fake.await("the host was asked twice", () -> context.inbound().calls() >= 2);
            assertThat(context.store().get(Link.OFFSET)).isEmpty();
            assertThat(connector.health())
                    .hasValueSatisfying(h -> assertThat(h.state()).isEqualTo(ConnectorHealth.State.RECONNECTING));

            context.inbound().acceptAll();
            context.inbound().awaitMessages(1, Duration.ofSeconds(30));

            assertThat(context.inbound().messages())
                    .extracting(InboundMessage::externalId)
                    .containsExactly("8:20");
        }
    }

    @Test
    void polling_groupMessages_areTakenOnlyWhenTheyMentionOrReplyToTheBot_andShareTheGroupThread()
            throws InterruptedException, IOException {
        try (FakeTelegram fake = new FakeTelegram()) {
            FakePluginContext context = pollingContext(fake, Map.of());
            fake.push(FakeTelegram.groupMessage(-100, 1, 7, "just chatting", false));
            fake.push(FakeTelegram.groupMessage(-100, 2, 7, "what do you think?", true));
            Map<String, Object> reply =
                    new java.util.LinkedHashMap<>(FakeTelegram.groupMessage(-100, 3, 8, "and me?", false));
            @SuppressWarnings("unchecked")
            Map<String, Object> inner = new java.util.LinkedHashMap<>((Map<String, Object>) reply.get("message"));
            inner.put(
                    "reply_to_message",
                    Map.of(
                            "message_id",
                            5000,
                            "from",
                            Map.of("id", FakeTelegram.BOT_ID, "is_bot", true, "first_name", "Nexus"),
                            "chat",
                            Map.of("id", -100, "type", "supergroup"),
                            "date",
                            1,
                            "text",
                            "earlier reply"));
            long last = fake.push(Map.of("message", inner));
            start(context);
            fake.await(
                    "every update is confirmed",
                    () -> context.store().get(Link.OFFSET).equals(Optional.of(Long.toString(last + 1))));

            assertThat(context.inbound().messages())
                    .extracting(InboundMessage::externalId)
                    .containsExactly("-100:2", "-100:3");
            assertThat(context.inbound().messages())
                    .extracting(InboundMessage::thread)
                    .containsOnly(Optional.of("-100"));
            assertThat(context.inbound().messages())
                    .extracting(InboundMessage::user)
                    .containsExactly("7", "8");
        }
    }

    @Test
    void polling_groupPolicyAlways_takesEveryGroupMessage() throws InterruptedException, IOException {
        try (FakeTelegram fake = new FakeTelegram()) {
            FakePluginContext context = pollingContext(fake, Map.of("group-replies", List.of("always")));
            fake.push(FakeTelegram.groupMessage(-200, 1, 7, "just chatting", false));
            start(context);

            assertThat(context.inbound().awaitMessages(1, Duration.ofSeconds(30)))
                    .singleElement()
                    .satisfies(m -> assertThat(m.thread()).contains("-200"));
        }
    }

    @Test
    void polling_aThumbsUpOnAReply_isFeedbackOnThatReply_evenOnALaterPartOfASplitReply()
            throws InterruptedException, IOException {
        try (FakeTelegram fake = new FakeTelegram()) {
            FakePluginContext context = pollingContext(fake, Map.of());
            PlatformConnector connector = start(context);
            DeliveryResult sent = connector.send(reply("r-long", "7", "a".repeat(5000)));
            assertThat(sent).isInstanceOf(DeliveryResult.Delivered.class);
            String first = ((DeliveryResult.Delivered) sent).externalId();
            long secondPart = ((Number) fake.delivered().get(1).parameters().get("_id")).longValue();

            fake.push(FakeTelegram.reaction(7, secondPart, 7, "👍"));
            fake.push(FakeTelegram.reaction(7, 5000, 7, "🤔"));
            fake.await(
                    "both reactions are confirmed",
                    () -> context.store().get(Link.OFFSET).equals(Optional.of("3")));

            assertThat(context.inbound().reactions()).singleElement().satisfies(reaction -> {
                assertThat(reaction.reply()).isEqualTo(first);
                assertThat(reaction.thumbs()).contains(InboundReaction.Thumbs.UP);
                assertThat(reaction.user()).isEqualTo("7");
            });
        }
    }

    @Test
    void send_rateLimited_returnsRetryLaterAfterRetryAfter_thenDelivers() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        telegram.failNextSend(429, "Too Many Requests: retry after 7", 7);

        DeliveryResult limited = connector.send(reply("r-429", "7", "Hi."));
        DeliveryResult retried = connector.send(reply("r-429", "7", "Hi."));

        assertThat(limited)
                .isInstanceOfSatisfying(
                        DeliveryResult.RetryLater.class,
                        retry -> assertThat(retry.after()).isEqualTo(Duration.ofSeconds(7)));
        assertThat(retried).isInstanceOf(DeliveryResult.Delivered.class);
    }

    @Test
    void send_aLongReplyLimitedHalfway_sendsEachPartExactlyOnceAcrossTheRetry() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        String text = "word ".repeat(1800); // 9000 characters: three parts
        int before = telegram.delivered().size();

        telegram.failSendAfter(1, 500, "Internal Server Error", 0);
        DeliveryResult firstTry = connector.send(reply("r-split", "-300", text));
        DeliveryResult secondTry = connector.send(reply("r-split", "-300", text));

        assertThat(firstTry).isInstanceOf(DeliveryResult.RetryLater.class);
        assertThat(secondTry).isInstanceOf(DeliveryResult.Delivered.class);
        List<FakeTelegram.Call> parts =
                telegram.delivered().subList(before, telegram.delivered().size());
        assertThat(parts).hasSize(3);
        assertThat(parts).allSatisfy(part -> {
            assertThat(part.parameters())
                    .containsEntry("parse_mode", "MarkdownV2")
                    .containsEntry("chat_id", -300);
            assertThat(((String) part.parameters().get("text")).length()).isLessThanOrEqualTo(MarkdownV2.LIMIT);
        });
        assertThat(parts.get(0).parameters()).containsKey("reply_parameters");
        assertThat(parts.get(1).parameters()).doesNotContainKey("reply_parameters");
        assertThat(String.join(
                        " ",
                        parts.stream()
                                .map(p -> ((String) p.parameters().get("text")).strip())
                                .toList()))
                .isEqualTo(text.strip());
    }

    @Test
    void send_blockedByTheUser_failsWithTelegramsReason() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        telegram.failNextSend(403, "Forbidden: bot was blocked by the user", 0);

        DeliveryResult result = connector.send(reply("r-403", "7", "Hi."));

        assertThat(result)
                .isInstanceOfSatisfying(
                        DeliveryResult.Failed.class,
                        failed -> assertThat(failed.reason()).contains("bot was blocked by the user"));
    }

    @Test
    void health_aWrongToken_isFailingAndSaysWhichSecretToFix() throws InterruptedException {
        FakePluginContext context = FakePluginContext.builder("telegram")
                .config(Map.of("personality", "zen-engineer", "api-url", telegram.url()))
                .secret("bot-token", "123456:wrongwrongwrongwrongwrongwrong")
                .build();
        PlatformConnector connector = start(context);

        telegram.await(
                "the health says failing",
                () -> connector.health().orElseThrow().state() == ConnectorHealth.State.FAILING);

        assertThat(connector.health().orElseThrow().lastError())
                .hasValueSatisfying(error -> assertThat(error)
                        .contains("401")
                        .contains("NEXUS_SECRET_TELEGRAM_BOT_TOKEN")
                        .doesNotContain("wrongwrong"));
    }

    @Test
    void webhook_withAWebhookUrl_registersItWithTheSecretAndTheUpdatesItTakes()
            throws InterruptedException, IOException {
        try (FakeTelegram fake = new FakeTelegram()) {
            FakePluginContext context = FakePluginContext.builder("telegram")
                    .config(Map.of(
                            "personality",
                            "zen-engineer",
                            "mode",
                            "webhook",
                            "api-url",
                            fake.url(),
                            "webhook-url",
                            "https://bot.example.org/hooks/telegram"))
                    .secret("bot-token", FakeTelegram.TOKEN)
                    .secret("webhook-secret", SECRET)
                    .build();
            PlatformConnector connector = start(context);

            fake.await("setWebhook is called", () -> !fake.calls("setWebhook").isEmpty());
            fake.await(
                    "the health says connected",
                    () -> connector.health().orElseThrow().state() == ConnectorHealth.State.CONNECTED);

            assertThat(fake.calls("setWebhook").get(0).parameters())
                    .containsEntry("url", "https://bot.example.org/hooks/telegram")
                    .containsEntry("secret_token", SECRET)
                    .containsEntry("allowed_updates", List.of("message", "message_reaction"));
        }
    }
}
