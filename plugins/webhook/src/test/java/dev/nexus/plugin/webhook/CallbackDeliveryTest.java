package dev.nexus.plugin.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.platform.DeliveryResult;
import dev.nexus.api.platform.OutboundMessage;
import dev.nexus.api.testing.FakePluginContext;
import dev.nexus.api.testing.JsonText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbound side, against a real local HTTP server that receives the callbacks. */
class CallbackDeliveryTest {

    private CallbackServer server;
    private WebhookConnector connector;

    @BeforeEach
    void startServer() throws IOException {
        server = new CallbackServer();
    }

    @AfterEach
    void stop() {
        if (connector != null) {
            connector.stop();
        }
        server.close();
    }

    @Test
    void send_postsASignedJsonReplyWithAnIdempotencyKey() {
        FakePluginContext context = start(Map.of());

        DeliveryResult result = connector.send(reply("reply-1", 1, Map.of()));

        assertThat(result).isEqualTo(new DeliveryResult.Delivered(""));
        CallbackServer.Received request = server.received().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/replies");
        assertThat(request.header("Idempotency-Key")).isEqualTo("reply-1");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        long timestamp = Long.parseLong(request.header("X-Nexus-Timestamp"));
        assertThat(timestamp).isEqualTo(context.clock().instant().getEpochSecond());
        assertThat(Signatures.verify(
                        List.of(Requests.KEY.getBytes(StandardCharsets.UTF_8)),
                        timestamp,
                        request.body(),
                        request.header("X-Nexus-Signature")))
                .isTrue();
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("id", "reply-1");
        expected.put("inReplyTo", "evt-1");
        expected.put("conversation", "conv-1");
        expected.put("personality", "stoic-mentor");
        expected.put("text", "Breathe. \"Then\" act.\nLine two ✓");
        expected.put("attempt", 1L);
        assertThat(JsonText.parseObject(request.text())).isEqualTo(expected);
    }

    @Test
    void send_retriedReply_keepsItsIdempotencyKey() {
        start(Map.of());
        server.thenAnswer(503);

        DeliveryResult first = connector.send(reply("reply-2", 1, Map.of()));
        DeliveryResult second = connector.send(reply("reply-2", 2, Map.of()));

        assertThat(first).isInstanceOf(DeliveryResult.RetryLater.class);
        assertThat(second).isEqualTo(new DeliveryResult.Delivered(""));
        assertThat(server.received())
                .extracting(r -> r.header("Idempotency-Key"))
                .containsExactly("reply-2", "reply-2");
    }

    @Test
    void send_serverErrors_retryWithExponentialBackoffUpToTheCap() {
        start(Map.of("retry-base-seconds", 2, "retry-max-seconds", 10));
        server.thenAnswer(500).thenAnswer(502).thenAnswer(503).thenAnswer(504);

        assertThat(connector.send(reply("r", 1, Map.of())))
                .isEqualTo(new DeliveryResult.RetryLater(Duration.ofSeconds(2), "the callback answered HTTP 500"));
        assertThat(connector.send(reply("r", 2, Map.of())))
                .isEqualTo(new DeliveryResult.RetryLater(Duration.ofSeconds(4), "the callback answered HTTP 502"));
        assertThat(connector.send(reply("r", 3, Map.of())))
                .isEqualTo(new DeliveryResult.RetryLater(Duration.ofSeconds(8), "the callback answered HTTP 503"));
        assertThat(connector.send(reply("r", 40, Map.of())))
                .isEqualTo(new DeliveryResult.RetryLater(Duration.ofSeconds(10), "the callback answered HTTP 504"));
    }

    @Test
    void send_tooManyRequests_honoursRetryAfterWithinTheCap() {
        start(Map.of("retry-max-seconds", 60));
        server.thenAnswer(429, Map.of("Retry-After", "7"))
                .thenAnswer(429, Map.of("Retry-After", "86400"))
                .thenAnswer(429, Map.of("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"));

        assertThat(connector.send(reply("r", 1, Map.of())))
                .isEqualTo(new DeliveryResult.RetryLater(Duration.ofSeconds(7), "the callback answered HTTP 429"));
        assertThat(connector.send(reply("r", 1, Map.of())))
                .isEqualTo(new DeliveryResult.RetryLater(Duration.ofSeconds(60), "the callback answered HTTP 429"));
        assertThat(connector.send(reply("r", 1, Map.of())))
                .isEqualTo(new DeliveryResult.RetryLater(Duration.ofSeconds(2), "the callback answered HTTP 429"));
    }

    @Test
    void send_clientErrorsAndRedirects_failPermanently() {
        start(Map.of());
        server.thenAnswer(400).thenAnswer(404).thenAnswer(302, Map.of("Location", "http://127.0.0.1:1/elsewhere"));

        assertThat(connector.send(reply("r", 1, Map.of())))
                .isEqualTo(new DeliveryResult.Failed("the callback answered HTTP 400"));
        assertThat(connector.send(reply("r", 1, Map.of())))
                .isEqualTo(new DeliveryResult.Failed("the callback answered HTTP 404"));
        assertThat(connector.send(reply("r", 1, Map.of())))
                .isEqualTo(
                        new DeliveryResult.Failed(
                                "the callback answered HTTP 302 (a redirect); redirects are not followed, configure the final URL"));
        assertThat(server.received()).hasSize(3);
    }

    @Test
    void send_callbackThatDoesNotAnswer_timesOutAndRetries() {
        start(Map.of("request-timeout-ms", 200));
        server.thenStall();

        DeliveryResult result = connector.send(reply("r", 1, Map.of()));

        assertThat(result)
                .isEqualTo(new DeliveryResult.RetryLater(
                        Duration.ofSeconds(2), "the callback did not answer within 200 ms"));
    }

    @Test
    void send_callbackNotListening_retries() throws IOException {
        int closed;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        start(Map.of("callback-url", "http://127.0.0.1:" + closed + "/replies"));

        DeliveryResult result = connector.send(reply("r", 1, Map.of()));

        assertThat(result)
                .isEqualTo(new DeliveryResult.RetryLater(
                        Duration.ofSeconds(2), "could not connect to the callback at 127.0.0.1"));
    }

    @Test
    void send_perMessageCallbackOnAnAllowedHost_goesThere() {
        start(Map.of("callback-url", "http://127.0.0.1:9/never-used", "callback-hosts", List.of("127.0.0.1")));

        DeliveryResult result = connector.send(reply("r", 1, Map.of("callbackUrl", server.url("/per-message"))));

        assertThat(result).isEqualTo(new DeliveryResult.Delivered(""));
        assertThat(server.received())
                .singleElement()
                .extracting(CallbackServer.Received::path)
                .isEqualTo("/per-message");
    }

    @Test
    void send_perMessageCallbackWhoseHostIsNoLongerAllowed_fails() {
        start(Map.of());

        DeliveryResult result = connector.send(reply("r", 1, Map.of("callbackUrl", server.url("/per-message"))));

        assertThat(result)
                .isEqualTo(new DeliveryResult.Failed(
                        "callbackUrl host '127.0.0.1' is no longer in plugins.config.webhook.callback-hosts"));
        assertThat(server.received()).isEmpty();
    }

    @Test
    void send_withoutAnyCallbackUrl_failsSayingWhatToConfigure() {
        connector = new WebhookConnector();
        connector.start(FakePluginContext.builder("webhook")
                .secret("signing-key", Requests.KEY)
                .build());

        assertThat(connector.send(reply("r", 1, Map.of())))
                .isEqualTo(new DeliveryResult.Failed(
                        "no callback URL for this reply: set plugins.config.webhook.callback-url, or send callbackUrl with the"
                                + " message and list its host in callback-hosts"));
    }

    @Test
    void send_withoutASigningKey_fails() {
        connector = new WebhookConnector();
        connector.start(FakePluginContext.builder("webhook")
                .config("callback-url", server.url("/replies"))
                .build());

        assertThat(connector.send(reply("r", 1, Map.of())))
                .isEqualTo(
                        new DeliveryResult.Failed(
                                "the webhook has no signing key, so replies cannot be signed; set NEXUS_SECRET_WEBHOOK_SIGNING_KEY"));
        assertThat(server.received()).isEmpty();
    }

    @Test
    void send_afterStop_failsWithoutContactingTheCallback() {
        start(Map.of());
        connector.stop();

        assertThat(connector.send(reply("r", 1, Map.of())))
                .isEqualTo(new DeliveryResult.Failed("the webhook connector is not running"));
        assertThat(server.received()).isEmpty();
    }

    private FakePluginContext start(Map<String, Object> config) {
        FakePluginContext context = FakePluginContext.builder("webhook")
                .config("callback-url", server.url("/replies"))
                .config(config)
                .secret("signing-key", Requests.KEY)
                .build();
        connector = new WebhookConnector();
        connector.start(context);
        return context;
    }

    private static OutboundMessage reply(String id, int attempt, Map<String, String> replyTo) {
        return new OutboundMessage(
                id, "evt-1", "conv-1", "stoic-mentor", "Breathe. \"Then\" act.\nLine two ✓", replyTo, attempt);
    }
}
