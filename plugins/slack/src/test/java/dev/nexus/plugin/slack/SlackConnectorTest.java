package dev.nexus.plugin.slack;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract through the signed Events API endpoint, plus verification, retries, threads and replies. */
class SlackConnectorTest extends PlatformConnectorContract {

    private static FakeSlack slack;

    @BeforeAll
    static void startSlack() throws IOException {
        slack = new FakeSlack();
    }

    @AfterAll
    static void stopSlack() {
        slack.close();
    }

    @Override
    protected PlatformConnector newConnector() {
        return new SlackConnector();
    }

    @Override
    protected FakePluginContext newContext() {
        return FakePluginContext.builder("slack")
                .config(Map.of("personality", "zen-engineer", "api-url", slack.apiUrl()))
                .secret("bot-token", FakeSlack.TOKEN)
                .secret("signing-secret", FakeSlack.SIGNING_SECRET)
                .startingAt(Instant.now())
                .build();
    }

    @Override
    protected String externalIdOf(String name) {
        return "D0042:" + name;
    }

    @Override
    protected Optional<HttpInbound> validInbound(FakePluginContext context, String externalId) {
        return Optional.of(signed(
                FakeSlack.envelope(
                        "Ev" + externalId,
                        FakeSlack.message("D0042", "im", "U42", externalId, null, "How do I stay calm?")),
                context.clock().instant().getEpochSecond(),
                Map.of()));
    }

    static HttpInbound signed(String body, long timestamp, Map<String, String> extra) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        headers.put(SlackConnector.TIMESTAMP, List.of(Long.toString(timestamp)));
        headers.put(SlackConnector.SIGNATURE, List.of(FakeSlack.sign(timestamp, bytes)));
        extra.forEach((name, value) -> headers.put(name, List.of(value)));
        return HookRequests.of("POST", "/", headers, bytes);
    }

    private static String text(HttpReply reply) {
        return new String(reply.body(), StandardCharsets.UTF_8);
    }

    @Test
    void urlVerification_isAnsweredWithTheChallenge() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);

        HttpReply reply = connector
                .handle(signed(
                        "{\"token\":\"t\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\","
                                + "\"type\":\"url_verification\"}",
                        context.clock().instant().getEpochSecond(),
                        Map.of()))
                .orElseThrow();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(text(reply)).isEqualTo("{\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\"}");
    }

    @Test
    void aRequestOutsideTheFiveMinuteWindow_isRefused401() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        HttpInbound stale = signed(
                FakeSlack.envelope("Ev1", FakeSlack.message("D0042", "im", "U42", "1.1", null, "hi")),
                context.clock().instant().getEpochSecond() - 301,
                Map.of());

        HttpReply reply = connector.handle(stale).orElseThrow();

        assertThat(reply.status()).isEqualTo(401);
        assertThat(text(reply)).contains("Stale request");
        assertThat(context.inbound().calls()).isZero();
    }

    @Test
    void aRetriedEvent_isAnswered200AndHandedToTheHostOnce() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        String body = FakeSlack.envelope("EvRetry", FakeSlack.message("D0042", "im", "U42", "2.2", null, "hi"));
        long now = context.clock().instant().getEpochSecond();

        connector.handle(signed(body, now, Map.of()));
        HttpReply retried = connector
                .handle(signed(body, now, Map.of("X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout")))
                .orElseThrow();

        assertThat(retried.status()).isEqualTo(200);
        assertThat(context.inbound().calls()).isEqualTo(1);
    }

    @Test
    void whileTheHostCannotStore_theEventIs503_andTheRetryIsTaken() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        String body = FakeSlack.envelope("EvDown", FakeSlack.message("D0042", "im", "U42", "3.3", null, "hi"));
        long now = context.clock().instant().getEpochSecond();
        context.inbound().failWith(new IllegalStateException("down"));

        HttpReply first = connector.handle(signed(body, now, Map.of())).orElseThrow();
        context.inbound().acceptAll();
        HttpReply retried = connector
                .handle(signed(body, now, Map.of("X-Slack-Retry-Num", "1")))
                .orElseThrow();

        assertThat(first.status()).isEqualTo(503);
        assertThat(retried.status()).isEqualTo(200);
        assertThat(context.inbound().messages())
                .extracting(InboundMessage::externalId)
                .containsExactly("D0042:3.3");
    }

    @Test
    void inAChannel_aMentionStartsAThread_andFollowUpsInThatThreadShareItsConversation() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        long now = context.clock().instant().getEpochSecond();

        connector.handle(signed(
                FakeSlack.envelope("E1", FakeSlack.message("C01", "channel", "U1", "10.1", null, "chatting")),
                now,
                Map.of()));
        connector.handle(signed(
                FakeSlack.envelope(
                        "E2",
                        FakeSlack.message(
                                "C01",
                                "channel",
                                "U1",
                                "10.2",
                                null,
                                "<@" + FakeSlack.BOT_USER + "> what do you think?")),
                now,
                Map.of()));
        InboundMessage mention = context.inbound().messages().get(0);
        DeliveryResult sent = connector.send(new OutboundMessage(
                "r1", mention.externalId(), "c", "zen-engineer", "I think <this> & that.", mention.replyTo(), 1));
        connector.handle(signed(
                FakeSlack.envelope("E3", FakeSlack.message("C01", "channel", "U2", "10.3", "10.2", "and me?")),
                now,
                Map.of()));
        connector.handle(signed(
                FakeSlack.envelope("E4", FakeSlack.message("C01", "channel", "U2", "10.4", "9.9", "another thread")),
                now,
                Map.of()));

        assertThat(context.inbound().messages())
                .extracting(InboundMessage::externalId)
                .containsExactly("C01:10.2", "C01:10.3");
        assertThat(context.inbound().messages())
                .extracting(InboundMessage::thread)
                .containsOnly(Optional.of("C01:10.2"));
        assertThat(mention.text()).isEqualTo("@bot what do you think?");
        assertThat(sent).isInstanceOf(DeliveryResult.Delivered.class);
        assertThat(slack.posted().getLast().body())
                .containsEntry("channel", "C01")
                .containsEntry("thread_ts", "10.2")
                .containsEntry("text", "I think &lt;this&gt; &amp; that.");
    }

    @Test
    void send_a429_isRetryLaterAfterRetryAfter() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        slack.rateLimitNext(7);

        DeliveryResult result = connector.send(new OutboundMessage(
                "r429", "x", "c", "zen-engineer", "Hi.", Map.of(SlackConnector.CHANNEL, "D0042"), 1));

        assertThat(result)
                .isInstanceOfSatisfying(
                        DeliveryResult.RetryLater.class,
                        retry -> assertThat(retry.after()).isEqualTo(Duration.ofSeconds(7)));
    }

    @Test
    void aThumbsUpOnTheBotsReply_isFeedbackOnIt() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        DeliveryResult sent = connector.send(new OutboundMessage(
                "r-react", "x", "c", "zen-engineer", "Hi.", Map.of(SlackConnector.CHANNEL, "D0042"), 1));
        String ts = (String) slack.posted().getLast().body().get("_ts");
        Map<String, Object> reaction = Map.of(
                "type",
                "reaction_added",
                "user",
                "U42",
                "reaction",
                "+1",
                "item",
                Map.of("type", "message", "channel", "D0042", "ts", ts),
                "item_user",
                FakeSlack.BOT_USER,
                "event_ts",
                "11.1");

        connector.handle(signed(
                FakeSlack.envelope("EvR", reaction), context.clock().instant().getEpochSecond(), Map.of()));

        assertThat(context.inbound().reactions()).singleElement().satisfies(r -> {
            assertThat(r.reply()).isEqualTo(((DeliveryResult.Delivered) sent).externalId());
            assertThat(r.thumbs()).contains(InboundReaction.Thumbs.UP);
        });
    }
}
