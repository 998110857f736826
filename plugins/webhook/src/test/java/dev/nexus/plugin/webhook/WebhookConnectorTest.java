package dev.nexus.plugin.webhook;

import static dev.nexus.plugin.webhook.Requests.KEY;
import static dev.nexus.plugin.webhook.Requests.body;
import static dev.nexus.plugin.webhook.Requests.signed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.platform.HttpInbound;
import dev.nexus.api.platform.HttpReply;
import dev.nexus.api.platform.InboundMessage;
import dev.nexus.api.platform.PlatformConnector;
import dev.nexus.api.platform.PlatformConnectorContract;
import dev.nexus.api.platform.RateLimit;
import dev.nexus.api.testing.FakePluginContext;
import dev.nexus.api.testing.JsonText;
import dev.nexus.host.platform.HookRequests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The contract, plus the inbound side: signature, replay protection, strict body, host hand-off. */
class WebhookConnectorTest extends PlatformConnectorContract {

    private static CallbackServer callbacks;

    @BeforeAll
    static void startCallbacks() throws IOException {
        callbacks = new CallbackServer();
    }

    @AfterAll
    static void stopCallbacks() {
        callbacks.close();
    }

    @Override
    protected PlatformConnector newConnector() {
        return new WebhookConnector();
    }

    @Override
    protected FakePluginContext newContext() {
        return context(Map.of());
    }

    @Override
    protected Optional<HttpInbound> validInbound(FakePluginContext context, String externalId) {
        return Optional.of(signed(body(externalId), context.clock().instant()));
    }

    @Test
    void handle_signedMessage_isDeliveredAndAnswered202WithTheMessageId() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);

        HttpReply reply =
                handle(connector, signed(body("evt-1"), context.clock().instant()));

        assertThat(reply.status()).isEqualTo(202);
        assertThat(JsonText.parseObject(text(reply)))
                .isEqualTo(Map.of("messageId", "msg-1", "externalId", "evt-1", "duplicate", false));
        assertThat(context.inbound().messages())
                .singleElement()
                .isEqualTo(new InboundMessage(
                        "webhook",
                        "evt-1",
                        "ada",
                        "stoic-mentor",
                        Optional.empty(),
                        "How do I stay calm?",
                        context.clock().instant(),
                        Map.of()));
    }

    @Test
    void handle_conversationAndAllowedCallbackUrl_travelWithTheMessage() {
        FakePluginContext context = context(Map.of("callback-hosts", List.of("*.example.org")));
        PlatformConnector connector = start(context);
        String body = "{\"id\":\"evt-2\",\"user\":\"ada\",\"personality\":\"stoic-mentor\",\"conversation\":\"c-7\","
                + "\"text\":\"Hi\",\"callbackUrl\":\"https://hooks.example.org/replies\"}";

        HttpReply reply = handle(connector, signed(body, context.clock().instant()));

        assertThat(reply.status()).isEqualTo(202);
        assertThat(context.inbound().messages()).singleElement().satisfies(message -> {
            assertThat(message.conversation()).contains("c-7");
            assertThat(message.replyTo()).isEqualTo(Map.of("callbackUrl", "https://hooks.example.org/replies"));
        });
    }

    @Test
    void handle_whileThePluginStoreIsDown_is503WithRetryAfter_andNothingReachesTheHost() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        HttpInbound request = signed(body("evt-store"), context.clock().instant());

        context.store().down();
        HttpReply during = handle(connector, request);
        context.store().up();
        HttpReply after = handle(connector, request);

        assertThat(during.status()).isEqualTo(503);
        assertThat(during.headers()).containsKey("Retry-After");
        assertThat(text(during)).contains("retry later with the same id");
        assertThat(after.status()).isEqualTo(202);
        assertThat(context.inbound().calls()).isEqualTo(1);
    }

    @Test
    void handle_aReplayToASecondInstanceOnTheSameStore_isADuplicateThere() {
        FakePluginContext context = newContext();
        PlatformConnector first = start(context);
        PlatformConnector second = start(context);
        HttpInbound request = signed(body("evt-shared"), context.clock().instant());

        handle(first, request);
        HttpReply replay = handle(second, request);

        assertThat(replay.status()).isEqualTo(200);
        assertThat(text(replay)).contains("\"duplicate\":true");
        assertThat(context.inbound().calls()).isEqualTo(1);
    }

    @Test
    void handle_replayWithinTheWindow_isA200DuplicateAndReachesTheHostOnce() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        HttpInbound request = signed(body("evt-3"), context.clock().instant());

        handle(connector, request);
        context.clock().advance(Duration.ofSeconds(299));
        HttpReply replay = handle(connector, request);

        assertThat(replay.status()).isEqualTo(200);
        assertThat(JsonText.parseObject(text(replay)))
                .containsEntry("duplicate", true)
                .containsEntry("messageId", "msg-1");
        assertThat(context.inbound().calls()).isEqualTo(1);
    }

    @Test
    void handle_replayAfterTheWindow_isRefusedAsStale() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        HttpInbound request = signed(body("evt-4"), context.clock().instant());
        handle(connector, request);

        context.clock().advance(Duration.ofSeconds(301));
        HttpReply replay = handle(connector, request);

        assertProblem(
                replay,
                401,
                "Stale request",
                "X-Nexus-Timestamp is 301 seconds away from the server clock; the limit is"
                        + " 300. Sign each request when sending it and check the sender's clock");
        assertThat(context.inbound().calls()).isEqualTo(1);
    }

    @Test
    void handle_timestampFromTheFuture_isRefused() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);

        HttpReply reply = handle(
                connector, signed(body("evt-5"), context.clock().instant().plusSeconds(3600)));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(text(reply)).contains("3600 seconds away");
        assertThat(context.inbound().calls()).isZero();
    }

    @Test
    void handle_sameIdWithANewSignatureFromARetryingSender_isADuplicate() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        handle(connector, signed(body("evt-6"), context.clock().instant()));
        context.clock().advance(Duration.ofSeconds(30));

        HttpReply retry =
                handle(connector, signed(body("evt-6"), context.clock().instant()));

        assertThat(retry.status()).isEqualTo(200);
        assertThat(context.inbound().calls()).isEqualTo(1);
    }

    @Test
    void handle_messageTheHostAlreadyStored_isA200Duplicate() {
        FakePluginContext context = newContext();
        PlatformConnector first = start(context);
        handle(first, signed(body("evt-7"), context.clock().instant()));
        first.stop();
        PlatformConnector restarted = start(context);

        HttpReply reply =
                handle(restarted, signed(body("evt-7"), context.clock().instant()));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(JsonText.parseObject(text(reply))).containsEntry("duplicate", true);
        assertThat(context.inbound().messages()).hasSize(1);
    }

    @Test
    void handle_wrongKey_isRefusedWithoutEchoingSecrets() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        HttpInbound forged = signed(body("evt-8"), context.clock().instant(), Requests.OTHER_KEY);

        HttpReply reply = handle(connector, forged);

        assertProblem(
                reply,
                401,
                "Invalid signature",
                "X-Nexus-Signature does not match the body and timestamp; send "
                        + "X-Nexus-Timestamp (Unix seconds) and X-Nexus-Signature: sha256=<hex HMAC-SHA256 of timestamp + '.' + "
                        + "body, keyed with the shared key>");
        String expected = Signatures.sign(
                KEY.getBytes(StandardCharsets.UTF_8), context.clock().instant().getEpochSecond(), forged.body());
        assertThat(text(reply)).doesNotContain(KEY).doesNotContain(expected.substring(7));
        assertThat(context.inbound().calls()).isZero();
    }

    @Test
    void handle_previousKeyDuringRotation_isAccepted() {
        FakePluginContext context = FakePluginContext.builder("webhook")
                .secret("signing-key", Requests.OTHER_KEY)
                .secret("previous-signing-key", KEY)
                .build();
        PlatformConnector connector = start(context);

        assertThat(handle(connector, signed(body("evt-9"), context.clock().instant(), KEY))
                        .status())
                .isEqualTo(202);
        assertThat(handle(connector, signed(body("evt-10"), context.clock().instant(), Requests.OTHER_KEY))
                        .status())
                .isEqualTo(202);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "                     | sha256=00                       | Missing signature",
                "1735689600           |                                 | Missing signature",
                "yesterday            | sha256=00                       | Invalid timestamp",
                "-5                   | sha256=00                       | Invalid timestamp",
                "1735689600           | md5=abc                         | Invalid signature",
                "1735689600           | sha256=zz                       | Invalid signature",
            })
    void handle_badSignatureHeaders_areRefusedWith401(String timestamp, String signature, String title) {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        java.util.LinkedHashMap<String, List<String>> headers = new java.util.LinkedHashMap<>();
        if (timestamp != null) {
            headers.put("X-Nexus-Timestamp", List.of(timestamp));
        }
        if (signature != null) {
            headers.put("X-Nexus-Signature", List.of(signature));
        }

        HttpReply reply = handle(connector, Requests.withHeaders(headers, body("evt-11")));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(JsonText.parseObject(text(reply))).containsEntry("title", title);
        assertThat(context.inbound().calls()).isZero();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"id\":\"a\",\"user\":\"u\",\"personality\":\"p\"}                       | field 'text' is required",
                "{\"id\":\"a\",\"user\":\"u\",\"personality\":\"p\",\"text\":\"hi              | malformed JSON at line 1, column 50: the JSON ends before it is complete (truncated?); send the whole document",
                "{\"id\":\"a\",\"user\":\"u\",\"personality\":\"p\",                            | malformed JSON at line 1, column 40: the JSON ends before it is complete (truncated?); send the whole document",
                "[1,2]                                                                 | the body must be a JSON object ({...})",
                "{\"id\":\"a\",\"user\":\"u\",\"personality\":\"p\",\"text\":\"  \"}                | field 'text' must not be blank",
                "{\"id\":7,\"user\":\"u\",\"personality\":\"p\",\"text\":\"hi\"}                   | field 'id' must be a string, got a number",
                "{\"id\":\"a\",\"user\":[\"u\"],\"personality\":\"p\",\"text\":\"hi\"}             | field 'user' must be a string, got an array",
                "{\"id\":\"a\",\"user\":\"u\",\"personality\":\"Stoic Mentor\",\"text\":\"hi\"}    | field 'personality' must be a personality id (lower-case letters, digits and dashes), got 'Stoic Mentor'",
                "{\"id\":\"a\",\"user\":\"u\",\"personality\":\"p\",\"text\":\"hi\",\"admin\":true} | unknown field 'admin'; allowed fields are id, user, personality, conversation, text, callbackUrl",
                "{\"id\":\"a\",\"id\":\"b\",\"user\":\"u\",\"personality\":\"p\",\"text\":\"hi\"}  | duplicate field 'id': send each field once",
                "{\"id\":\"a\\u0000\",\"user\":\"u\",\"personality\":\"p\",\"text\":\"hi\"}       | invalid value at 'id': text must not contain NUL (\\u0000) characters; remove them",
                "{\"id\":\"a\",\"user\":\"u\",\"personality\":\"p\",\"text\":\"hi\",\"callbackUrl\":\"https://evil.example/x\"} | field 'callbackUrl' points at host 'evil.example', which is not in plugins.config.webhook.callback-hosts; leave callbackUrl out to use the configured callback-url, or ask an operator to allow the host",
                "{\"id\":\"a\",\"user\":\"u\",\"personality\":\"p\",\"text\":\"hi\",\"callbackUrl\":\"file:///etc/passwd\"} | field 'callbackUrl' must be an absolute http(s) URL with a host and no user info, got 'file:///etc/passwd'",
                "{\"id\":\"a\",\"user\":\"u\",\"personality\":\"p\",\"text\":\"hi\"} trailing    | malformed JSON at line 1, column 61: Unrecognized token 'trailing': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
            })
    void handle_signedButInvalidBodies_areRefusedWith400AndNothingIsStored(String body, String detail) {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);

        HttpReply reply = handle(connector, signed(body, context.clock().instant()));

        assertProblem(reply, 400, "Invalid message", detail);
        assertThat(context.inbound().calls()).isZero();
    }

    @Test
    void handle_textOverTheLimitInvalidUtf8AndDeepNesting_areRefused() {
        FakePluginContext context = context(Map.of("max-text-chars", 10));
        PlatformConnector connector = start(context);
        byte[] invalid = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        HttpInbound badUtf8 = resigned(invalid, context.clock().instant());

        assertProblem(
                handle(connector, signed(body("evt-12"), context.clock().instant())),
                400,
                "Invalid message",
                "field 'text' is 19 characters long; the limit is 10");
        assertProblem(
                handle(connector, badUtf8), 400, "Invalid message", "the body is not valid UTF-8; send UTF-8 JSON");
        assertProblem(
                handle(
                        connector,
                        signed("{\"id\":" + "[".repeat(100), context.clock().instant())),
                400,
                "Invalid message",
                "the JSON is nested deeper than 64 levels; flatten the document");
        assertThat(context.inbound().calls()).isZero();
    }

    @Test
    void handle_wrongMethodPathOrSize_getsTheMatchingProblem() {
        FakePluginContext context = context(Map.of("max-body-bytes", 256));
        PlatformConnector connector = start(context);

        HttpReply get = handle(connector, new HttpInbound("GET", "/", Map.of(), new byte[0]));
        HttpReply elsewhere = handle(connector, new HttpInbound("POST", "/admin", Map.of(), new byte[0]));
        HttpReply large = handle(
                connector,
                signed("{\"x\":\"" + "a".repeat(300) + "\"}", context.clock().instant()));

        assertThat(get.status()).isEqualTo(405);
        assertThat(get.headers()).containsEntry("Allow", "POST");
        assertProblem(
                elsewhere,
                404,
                "Not found",
                "the webhook receives messages at POST /hooks/webhook and reactions at"
                        + " POST /hooks/webhook/reactions; nothing is at /admin");
        assertProblem(
                large,
                413,
                "Body too large",
                "the body is 308 bytes; the limit is 256 (plugins.config.webhook.max-body-bytes)");
    }

    @Test
    void handle_withoutASigningKey_answers503AndSaysWhatToSet() {
        FakePluginContext context = FakePluginContext.of("webhook");
        PlatformConnector connector = start(context);

        assertProblem(
                handle(connector, signed(body("evt-13"), context.clock().instant())),
                503,
                "Webhook not configured",
                "the webhook has no signing key; an operator must set NEXUS_SECRET_WEBHOOK_SIGNING_KEY");
    }

    @Test
    void handle_hostRejectsTheMessage_is400WithTheHostsReason() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        context.inbound().rejectWith("unknown personality 'stoic-mentor'");

        assertProblem(
                handle(connector, signed(body("evt-14"), context.clock().instant())),
                400,
                "Message rejected",
                "unknown personality 'stoic-mentor'");
    }

    @Test
    void handle_hostCannotStore_is503AndTheSameIdCanBeRetried() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        context.inbound().failWith(new IllegalStateException("database unavailable"));

        HttpReply failed =
                handle(connector, signed(body("evt-15"), context.clock().instant()));
        context.inbound().acceptAll();
        HttpReply retried =
                handle(connector, signed(body("evt-15"), context.clock().instant()));

        assertProblem(
                failed,
                503,
                "Not stored",
                "the host cannot store messages right now; try again later; retry later" + " with the same id");
        assertThat(failed.headers()).containsEntry("Retry-After", "5");
        assertThat(retried.status()).isEqualTo(202);
        assertThat(context.inbound().messages()).hasSize(1);
    }

    @Test
    void handle_aSinkThatThrows_is503AndTheSameIdCanBeRetried() {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        context.inbound().throwWith(new IllegalStateException("broken sink"));

        HttpReply failed =
                handle(connector, signed(body("evt-16"), context.clock().instant()));
        context.inbound().acceptAll();
        HttpReply retried =
                handle(connector, signed(body("evt-16"), context.clock().instant()));

        assertProblem(failed, 503, "Not stored", "the message could not be stored; retry later with the same id");
        assertThat(failed.headers()).containsKey("Retry-After");
        assertThat(retried.status()).isEqualTo(202);
    }

    @Test
    void rateLimit_followsTheConfiguration() {
        PlatformConnector connector = start(context(Map.of("rate-limit-per-second", 3)));

        assertThat(connector.rateLimit()).isEqualTo(RateLimit.perSecond(3));
        assertThat(new WebhookConnector().rateLimit()).isEqualTo(RateLimit.perSecond(10));
    }

    static FakePluginContext context(Map<String, Object> config) {
        return FakePluginContext.builder("webhook")
                .startingAt(Instant.parse("2025-01-01T00:00:00Z"))
                .config("callback-url", callbacks == null ? "http://127.0.0.1:9/unused" : callbacks.url("/replies"))
                .config(config)
                .secret("signing-key", KEY)
                .build();
    }

    private static HttpInbound resigned(byte[] body, Instant at) {
        long timestamp = at.getEpochSecond();
        return HookRequests.of(
                "POST",
                "/",
                Map.of(
                        "X-Nexus-Timestamp", List.of(Long.toString(timestamp)),
                        "X-Nexus-Signature",
                                List.of(Signatures.sign(KEY.getBytes(StandardCharsets.UTF_8), timestamp, body))),
                body);
    }

    private static HttpReply handle(PlatformConnector connector, HttpInbound request) {
        return connector.handle(request).orElseThrow();
    }

    private static String text(HttpReply reply) {
        return new String(reply.body(), StandardCharsets.UTF_8);
    }

    private static void assertProblem(HttpReply reply, int status, String title, String detail) {
        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(JsonText.parseObject(text(reply)))
                .containsEntry("title", title)
                .containsEntry("detail", detail);
    }
}
