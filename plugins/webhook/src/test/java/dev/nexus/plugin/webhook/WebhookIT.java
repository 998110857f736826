package dev.nexus.plugin.webhook;

import static dev.nexus.plugin.webhook.Requests.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.platform.DeliveryResult;
import dev.nexus.api.platform.HttpInbound;
import dev.nexus.api.platform.HttpReply;
import dev.nexus.api.platform.OutboundMessage;
import dev.nexus.api.platform.PlatformConnector;
import dev.nexus.api.platform.PlatformConnectorContract;
import dev.nexus.api.testing.FakePluginContext;
import dev.nexus.api.testing.RecordingInboundSink;
import dev.nexus.host.plugins.Contribution;
import dev.nexus.host.testing.PackagedPlugin;
import dev.nexus.host.testing.TestHost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar in the host's plugin runtime: the connector class PF4J loaded passes the contract,
 * and the instance the runtime created, started with the host-made context (configuration and secrets
 * from the plugin's own section), takes a signed request to the host's inbound port and delivers a
 * signed reply to a real callback server.
 *
 * <p>The host has no {@code /hooks/<platform>} route yet, so requests are handed to
 * {@link PlatformConnector#handle} directly, as that route will.
 *
 * <p>H2 only: messages go to a recording sink and the one real host only lists the plugin, so nothing
 * is stored; the jar's storage path runs on both databases in {@code WebhookChatIT},
 * {@code WebhookReactionIT} and {@code WebhookOutageIT} (docs/testing.md, "Both databases").
 */
class WebhookIT extends PlatformConnectorContract {

    private static CallbackServer callbacks;
    private static PackagedPlugin plugin;

    @BeforeAll
    static void load() throws IOException {
        callbacks = new CallbackServer();
        plugin = PackagedPlugin.start(
                Map.of("callback-url", callbacks.url("/replies")), Map.of("SIGNING_KEY", KEY), Clock.systemUTC());
    }

    @AfterAll
    static void unload() {
        plugin.close();
        callbacks.close();
    }

    /** A fresh instance of the connector class loaded from the jar, for the contract's lifecycle tests. */
    @Override
    protected PlatformConnector newConnector() {
        try {
            return (PlatformConnector)
                    loaded().extension().getClass().getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("the packaged connector has no public no-argument constructor", e);
        }
    }

    @Override
    protected FakePluginContext newContext() {
        return WebhookConnectorTest.context(Map.of());
    }

    @Override
    protected Optional<HttpInbound> validInbound(FakePluginContext context, String externalId) {
        return Optional.of(
                Requests.signed(Requests.body(externalId), context.clock().instant()));
    }

    @Test
    void packagedJar_startsAsAPlatformPluginFromItsOwnClassLoader() {
        assertThat(plugin.info().state()).isEqualTo("started");
        assertThat(plugin.info().kinds()).containsExactly("platform");
        assertThat(loaded().extension().platform()).isEqualTo("webhook");
        assertThat(loaded().extension().getClass().getClassLoader())
                .isNotSameAs(getClass().getClassLoader());
    }

    @Test
    void runtimeInstance_withTheHostContext_receivesAndReplies() {
        RecordingInboundSink sink = new RecordingInboundSink();
        plugin.runtime().inbound(sink);
        Contribution<PlatformConnector> connector = loaded();
        // The runtime started the connector with the host context when the plugin started.
        try {
            HttpInbound request =
                    Requests.signed(Requests.body("it-1"), Clock.systemUTC().instant());
            HttpReply reply = plugin.runtime()
                    .call(connector, "handle", c -> c.handle(request))
                    .orElseThrow();
            DeliveryResult delivered = plugin.runtime()
                    .call(
                            connector,
                            "send",
                            c -> c.send(new OutboundMessage(
                                    "reply-it-1", "it-1", "conv", "stoic-mentor", "Begin at once.", Map.of(), 1)));

            assertThat(reply.status())
                    .as(new String(reply.body(), StandardCharsets.UTF_8))
                    .isEqualTo(202);
            assertThat(sink.messages()).singleElement().satisfies(message -> {
                assertThat(message.platform()).isEqualTo("webhook");
                assertThat(message.externalId()).isEqualTo("it-1");
            });
            assertThat(delivered).isEqualTo(new DeliveryResult.Delivered(""));
            CallbackServer.Received received = callbacks.received().stream()
                    .filter(r -> "reply-it-1".equals(r.header("Idempotency-Key")))
                    .findFirst()
                    .orElseThrow();
            assertThat(Signatures.verify(
                            List.of(KEY.getBytes(StandardCharsets.UTF_8)),
                            Long.parseLong(received.header("X-Nexus-Timestamp")),
                            received.body(),
                            received.header("X-Nexus-Signature")))
                    .isTrue();
        } finally {
            plugin.runtime().inbound(new RecordingInboundSink());
        }
    }

    @Test
    void realHost_listsThePluginAsStarted(@TempDir Path dir) throws IOException {
        PackagedPlugin.installInto(dir.resolve("plugins"));
        Files.createDirectories(dir.resolve("data"));

        try (TestHost host = TestHost.builder()
                .dataDir(dir.resolve("data"))
                .yaml("plugins: {directory: '" + dir.resolve("plugins") + "'}")
                .env("NEXUS_SECRET_WEBHOOK_SIGNING_KEY", KEY)
                .start()) {
            assertThat(PackagedPlugin.listed(host, "webhook"))
                    .containsEntry("state", "started")
                    .containsEntry("kinds", List.of("platform"));
        }
    }

    private static Contribution<PlatformConnector> loaded() {
        return plugin.extension(PlatformConnector.class);
    }
}
