package dev.nexus.plugin.webhook;

import static dev.nexus.plugin.webhook.Requests.OTHER_KEY;
import static dev.nexus.plugin.webhook.Requests.body;
import static dev.nexus.plugin.webhook.Requests.reaction;
import static dev.nexus.plugin.webhook.Requests.signed;
import static dev.nexus.plugin.webhook.Requests.signedReaction;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.platform.HttpInbound;
import dev.nexus.api.platform.HttpReply;
import dev.nexus.api.platform.InboundReaction;
import dev.nexus.api.testing.FakePluginContext;
import dev.nexus.api.testing.JsonText;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code POST /hooks/webhook/reactions}: signed like messages, strict body, replay memory, host hand-off. */
class WebhookReactionsTest {

    private final FakePluginContext context = WebhookConnectorTest.context(Map.of());
    private final WebhookConnector connector = new WebhookConnector();

    WebhookReactionsTest() {
        connector.start(context);
    }

    private HttpReply handle(HttpInbound request) {
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

    @Test
    void react_signedReaction_isHandedToTheHostAndAnswered202WithTheFeedbackId() {
        String body = reaction("rx-1", "reply-9", "\"rating\":2,\"critiques\":[\"too long\",\"more humour\"]");

        HttpReply reply = handle(signedReaction(body, context.clock().instant()));

        assertThat(reply.status()).isEqualTo(202);
        assertThat(JsonText.parseObject(text(reply)))
                .isEqualTo(Map.of("feedbackId", "feedback-1", "externalId", "rx-1", "duplicate", false));
        assertThat(context.inbound().reactions())
                .singleElement()
                .isEqualTo(new InboundReaction(
                        "webhook",
                        "rx-1",
                        "ada",
                        "reply-9",
                        Optional.empty(),
                        OptionalInt.of(2),
                        List.of("too long", "more humour"),
                        context.clock().instant()));
        assertThat(context.inbound().calls()).isZero();
    }

    @Test
    void react_thumbs_travelAsThumbs() {
        handle(signedReaction(
                reaction("rx-2", "reply-9", "\"thumbs\":\"down\""),
                context.clock().instant()));

        assertThat(context.inbound().reactions()).singleElement().satisfies(r -> {
            assertThat(r.thumbs()).contains(InboundReaction.Thumbs.DOWN);
            assertThat(r.rating()).isEmpty();
            assertThat(r.critiques()).isEmpty();
        });
    }

    @Test
    void react_replayWithinTheWindow_isA200DuplicateAndReachesTheHostOnce() {
        HttpInbound request = signedReaction(
                reaction("rx-3", "reply-9", "\"thumbs\":\"up\""),
                context.clock().instant());

        handle(request);
        context.clock().advance(Duration.ofSeconds(299));
        HttpReply replay = handle(request);

        assertThat(replay.status()).isEqualTo(200);
        assertThat(JsonText.parseObject(text(replay)))
                .containsEntry("duplicate", true)
                .containsEntry("feedbackId", "feedback-1");
        assertThat(context.inbound().reactionCalls()).isEqualTo(1);
    }

    @Test
    void react_replayAfterTheWindow_isRefusedAsStale() {
        HttpInbound request = signedReaction(
                reaction("rx-4", "reply-9", "\"thumbs\":\"up\""),
                context.clock().instant());
        handle(request);

        context.clock().advance(Duration.ofSeconds(301));

        assertProblem(
                handle(request),
                401,
                "Stale request",
                "X-Nexus-Timestamp is 301 seconds away from the server clock;"
                        + " the limit is 300. Sign each request when sending it and check the sender's clock");
        assertThat(context.inbound().reactionCalls()).isEqualTo(1);
    }

    @Test
    void react_hostSaysDuplicate_is200() {
        handle(signedReaction(
                reaction("rx-5", "reply-9", "\"thumbs\":\"up\""),
                context.clock().instant()));
        context.clock().advance(Duration.ofSeconds(400));

        // A sender's retry after the replay window, freshly signed: the host recognises the id.
        HttpReply again = handle(signedReaction(
                reaction("rx-5", "reply-9", "\"thumbs\":\"up\""),
                context.clock().instant()));

        assertThat(again.status()).isEqualTo(200);
        assertThat(JsonText.parseObject(text(again)))
                .containsEntry("duplicate", true)
                .containsEntry("feedbackId", "feedback-1");
        assertThat(context.inbound().reactions()).hasSize(1);
    }

    @Test
    void react_wrongKeyOrNoSignature_is401AndReachesNoOne() {
        String body = reaction("rx-6", "reply-9", "\"thumbs\":\"up\"");

        HttpReply wrongKey =
                handle(Requests.signed("/reactions", body, context.clock().instant(), OTHER_KEY));
        HttpReply unsigned = handle(Requests.withHeaders(Map.of(), body));

        assertThat(wrongKey.status()).isEqualTo(401);
        assertThat(JsonText.parseObject(text(wrongKey))).containsEntry("title", "Invalid signature");
        assertThat(unsigned.status()).isEqualTo(401);
        assertThat(context.inbound().reactionCalls()).isZero();
    }

    @Test
    void react_hostRejects_is400WithTheHostsReason() {
        context.inbound().rejectWith("unknown critique 'too purple'");

        assertProblem(
                handle(signedReaction(
                        reaction("rx-7", "reply-9", "\"critiques\":[\"too purple\"]"),
                        context.clock().instant())),
                400,
                "Reaction rejected",
                "unknown critique 'too purple'");
    }

    @Test
    void react_hostCannotRecord_is503AndTheSameIdCanBeRetried() {
        context.inbound().failWith(new IllegalStateException("database unavailable"));
        HttpReply failed = handle(signedReaction(
                reaction("rx-8", "reply-9", "\"thumbs\":\"up\""),
                context.clock().instant()));
        context.inbound().acceptAll();

        HttpReply retried = handle(signedReaction(
                reaction("rx-8", "reply-9", "\"thumbs\":\"up\""),
                context.clock().instant()));

        assertProblem(
                failed,
                503,
                "Not recorded",
                "the host cannot record reactions right now; try again later; retry" + " later with the same id");
        assertThat(failed.headers()).containsEntry("Retry-After", "5");
        assertThat(retried.status()).isEqualTo(202);
    }

    @Test
    void react_messageBodyReplayedToReactions_isRefusedByTheStrictBody() {
        HttpReply reply = handle(signedReaction(body("evt-1"), context.clock().instant()));

        assertProblem(
                reply,
                400,
                "Invalid reaction",
                "unknown field 'personality'; a reaction allows id, user, reply, thumbs," + " rating, critiques");
        assertThat(context.inbound().reactionCalls()).isZero();
        assertThat(context.inbound().calls()).isZero();
    }

    @Test
    void react_reactionBodyReplayedToMessages_isRefusedByTheStrictBody() {
        HttpReply reply = handle(signed(
                reaction("rx-9", "reply-9", "\"thumbs\":\"up\""),
                context.clock().instant()));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(JsonText.parseObject(text(reply)))
                .containsEntry("title", "Invalid message")
                .containsEntry(
                        "detail",
                        "unknown field 'reply'; allowed fields are id, user, personality, conversation, text,"
                                + " callbackUrl");
        assertThat(context.inbound().reactionCalls()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "{\"user\":\"ada\",\"reply\":\"r\",\"thumbs\":\"up\"}|field 'id' is required",
                "{\"id\":\"rx\",\"user\":\"ada\",\"thumbs\":\"up\"}|field 'reply' is required",
                "{\"id\":\"rx\",\"user\":\"ada\",\"reply\":\"r\",\"thumbs\":\"sideways\"}|field 'thumbs' must be \"up\" or \"down\", got 'sideways'",
                "{\"id\":\"rx\",\"user\":\"ada\",\"reply\":\"r\",\"thumbs\":true}|field 'thumbs' must be a string, got a boolean",
                "{\"id\":\"rx\",\"user\":\"ada\",\"reply\":\"r\",\"rating\":4.5}|field 'rating' must be a whole number of stars from 1 to 5, got a number 4.5",
                "{\"id\":\"rx\",\"user\":\"ada\",\"reply\":\"r\",\"rating\":\"5\"}|field 'rating' must be a whole number of stars from 1 to 5, got String",
                "{\"id\":\"rx\",\"user\":\"ada\",\"reply\":\"r\",\"rating\":99999999999}|field 'rating' must be a whole number of stars from 1 to 5, got a number 99999999999",
                "{\"id\":\"rx\",\"user\":\"ada\",\"reply\":\"r\",\"critiques\":\"too long\"}|field 'critiques' must be an array of strings, got String",
                "{\"id\":\"rx\",\"user\":\"ada\",\"reply\":\"r\",\"critiques\":[1]}|field 'critiques' must hold strings only, got a number",
                "{\"id\":\"rx\",\"user\":\"ada\",\"reply\":\"r\",\"critiques\":[null]}|field 'critiques' must hold strings only, got null",
                "{\"id\":\"rx\",\"user\":\"ada\",\"reply\":\"r\",\"critiques\":[\"  \"]}|each critique must be 1-64 characters without control characters, such as \"too long\"",
                "{\"id\":\"rx\",\"user\":\"ada\",\"reply\":\"r\",\"critiques\":[\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\"]}|field 'critiques' has 17 entries; the limit is 16",
                "{\"id\":\"rx\",\"user\":\"ada\",\"reply\":\"r\",\"thumbs\":\"up\",\"admin\":true}|unknown field 'admin'; a reaction allows id, user, reply, thumbs, rating, critiques",
                "{\"id\":\"rx\",\"user\":\"ada\",\"reply\":\"r\",\"thumbs\":\"up\"|malformed JSON at line 1, column 50: the JSON ends before it is complete (truncated?); send the whole document",
                "[]|the body must be a JSON object ({...})",
            })
    void react_badBody_is400NamingTheProblem_andReachesNoOne(String body, String detail) {
        HttpReply reply = handle(signedReaction(body, context.clock().instant()));

        assertProblem(reply, 400, "Invalid reaction", detail);
        assertThat(context.inbound().reactionCalls()).isZero();
    }

    @Test
    void react_wrongMethod_is405() {
        HttpReply reply = handle(new HttpInbound("GET", "/reactions", Map.of(), new byte[0]));

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.headers()).containsEntry("Allow", "POST");
        assertThat(JsonText.parseObject(text(reply))).containsEntry("detail", "send reactions with POST, not GET");
    }
}
