package dev.nexus.plugin.instagram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.platform.DeliveryResult;
import dev.nexus.api.platform.HttpInbound;
import dev.nexus.api.platform.HttpReply;
import dev.nexus.api.platform.InboundMessage;
import dev.nexus.api.platform.OutboundMessage;
import dev.nexus.api.platform.PlatformConnector;
import dev.nexus.api.platform.PlatformConnectorContract;
import dev.nexus.api.testing.FakePluginContext;
import dev.nexus.host.platform.HookRequests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Instagram connector against a local fake Graph API, plus the PlatformConnector contract. */
class InstagramConnectorTest extends PlatformConnectorContract {

    static final String APP_SECRET = "app-secret-0123456789abcdef";

    private static FakeGraph graph;

    @BeforeAll
    static void startGraph() throws IOException {
        graph = new FakeGraph();
    }

    @AfterAll
    static void stopGraph() {
        graph.close();
    }

    @Override
    protected PlatformConnector newConnector() {
        return new InstagramConnector();
    }

    @Override
    protected FakePluginContext newContext() {
        return context(graph);
    }

    static FakePluginContext context(FakeGraph fake) {
        return FakePluginContext.builder("instagram")
                .config(Map.of(
                        "personality",
                        "zen-engineer",
                        "ig-user-id",
                        FakeGraph.ACCOUNT,
                        "api-url",
                        fake.url(),
                        "media-url",
                        "https://cdn.example.org/morning.jpg",
                        "status-poll-millis",
                        0))
                .secret("access-token", FakeGraph.TOKEN)
                .secret("app-secret", APP_SECRET)
                .build();
    }

    @Override
    protected Optional<HttpInbound> validInbound(FakePluginContext context, String externalId) {
        return Optional.of(signed(notification(externalId, "1001", "Lovely picture!")));
    }

    static String notification(String commentId, String from, String text) {
        return "{\"object\":\"instagram\",\"entry\":[{\"id\":\"" + FakeGraph.ACCOUNT
                + "\",\"time\":1733400000,\"changes\":[{\"field\":\"comments\","
                + "\"value\":{\"from\":{\"id\":\"" + from
                + "\",\"username\":\"ada\"},\"media\":{\"id\":\"18000000000000001\","
                + "\"media_product_type\":\"FEED\"},\"id\":\"" + commentId + "\",\"text\":\"" + text + "\"}}]}]}";
    }

    static HttpInbound signed(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(APP_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
            return HookRequests.of(
                    "POST",
                    "/",
                    Map.of(
                            "Content-Type",
                            List.of("application/json"),
                            InstagramConnector.SIGNATURE_HEADER,
                            List.of(signature)),
                    body.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OutboundMessage post(String id, String caption) {
        return new OutboundMessage(id, "", "schedule-1", "zen-engineer", caption, Map.of(), 1);
    }

    @Test
    void aPost_createsAContainer_pollsItsStatus_andPublishesOnce_evenWhenSentAgain() {
        FakePluginContext context = context(graph);
        PlatformConnector connector = start(context);
        int before = graph.published();

        DeliveryResult first = connector.send(post("run-1", "Good morning."));
        DeliveryResult again = connector.send(post("run-1", "Good morning."));

        assertThat(first).isInstanceOf(DeliveryResult.Delivered.class);
        assertThat(again).isEqualTo(first);
        assertThat(graph.published() - before).isEqualTo(1);
        FakeGraph.Call created = graph.calls("/" + FakeGraph.ACCOUNT + "/media").getLast();
        assertThat(created.parameters())
                .containsEntry("caption", "Good morning.")
                .containsEntry("image_url", "https://cdn.example.org/morning.jpg");
    }

    @Test
    void aPost_whenThe24HourCapIsReached_isNotPublished_andRetriedLaterSayingWhy() {
        try (FakeGraph full = new FakeGraph()) {
            full.quotaUsage(25);
            PlatformConnector connector = start(context(full));

            DeliveryResult result = connector.send(post("run-9", "One too many."));

            assertThat(result)
                    .isInstanceOfSatisfying(
                            DeliveryResult.RetryLater.class,
                            later -> assertThat(later.reason()).contains("publishing cap reached: 25 of 25"));
            assertThat(full.calls("/media")).isEmpty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aComment_becomesAnInboundMessageInThePostsThread_andTheReplyAnswersTheComment() {
        FakePluginContext context = context(graph);
        PlatformConnector connector = start(context);

        Optional<HttpReply> reply =
                connector.handle(signed(notification("17858893269000001", "1001", "How do you stay calm?")));
        connector.handle(signed(notification("17858893269000002", FakeGraph.ACCOUNT, "our own reply")));
        InboundMessage comment = context.inbound().messages().getFirst();
        DeliveryResult answered = connector.send(new OutboundMessage(
                "reply-1", comment.externalId(), "c-1", "zen-engineer", "Breathe first.", comment.replyTo(), 1));

        assertThat(reply).get().extracting(HttpReply::status).isEqualTo(200);
        assertThat(context.inbound().messages()).hasSize(1);
        assertThat(comment.thread()).contains("media:18000000000000001");
        assertThat(comment.user()).isEqualTo("1001");
        assertThat(answered).isInstanceOf(DeliveryResult.Delivered.class);
        assertThat(graph.calls("/17858893269000001/replies"))
                .singleElement()
                .satisfies(call -> assertThat(call.parameters()).containsEntry("message", "Breathe first."));
    }

    @Test
    void aWrongAccessToken_isAPermanentFailureNamingTheGraphError() {
        FakePluginContext context = FakePluginContext.builder("instagram")
                .config(Map.of(
                        "personality",
                        "zen-engineer",
                        "ig-user-id",
                        FakeGraph.ACCOUNT,
                        "api-url",
                        graph.url(),
                        "media-url",
                        "https://cdn.example.org/a.jpg"))
                .secret("access-token", "expired")
                .build();

        DeliveryResult result = start(context).send(post("run-2", "x"));

        assertThat(result)
                .isInstanceOfSatisfying(
                        DeliveryResult.Failed.class,
                        failed -> assertThat(failed.reason())
                                .contains("error 190")
                                .contains("Invalid OAuth access token")
                                .doesNotContain("expired"));
    }
}
