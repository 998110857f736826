package dev.nexus.host.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.nexus.host.AccessDeniedException;
import dev.nexus.host.conversation.ChatSettings;
import dev.nexus.host.conversation.ConversationService;
import dev.nexus.host.conversation.Personalities;
import dev.nexus.host.conversation.Recall;
import dev.nexus.host.db.Database;
import dev.nexus.host.http.ServerConfig;
import dev.nexus.host.llm.LanguageModels;
import dev.nexus.host.llm.LlmSettings;
import dev.nexus.host.plugins.PluginRuntime;
import dev.nexus.host.plugins.PluginsConfig;
import dev.nexus.host.testing.PluginJar;
import dev.nexus.host.testing.TestDatabase;
import dev.nexus.host.testing.TestDatabases;
import dev.nexus.host.testing.TestHttp;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A connector packaged as a real plugin jar, loaded by the real plugin runtime: inbound over
 * {@code /hooks}, the reply posted to a local callback server that fails once, delivered exactly once.
 */
@ParameterizedClass
@MethodSource(TestDatabases.KINDS)
class PluginConnectorTest {

    @Parameter
    Database.Kind database;

    private static final String CONNECTOR = """
            package echo;

            import dev.nexus.api.PluginContext;
            import dev.nexus.api.platform.*;
            import java.net.URI;
            import java.net.http.*;
            import java.time.Duration;
            import java.util.*;

            public class EchoConnector implements PlatformConnector {
                private volatile PluginContext context;
                private volatile URI callback;
                private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

                public String platform() { return "echo"; }
                public RateLimit rateLimit() { return RateLimit.perSecond(50); }
                public void start(PluginContext value) {
                    context = value;
                    callback = URI.create(value.config().string("callback").orElseThrow());
                }
                public Optional<HttpReply> handle(HttpInbound request) {
                    String[] parts = new String(request.body(), java.nio.charset.StandardCharsets.UTF_8).split("\\\\|", 3);
                    InboundResult result = context.inbound().deliver(new InboundMessage("echo", parts[1], parts[0], "zen-engineer",
                            Optional.empty(), parts[2], context.clock().instant(), Map.of()));
                    if (result instanceof InboundResult.Accepted accepted) {
                        return Optional.of(HttpReply.json(202, "{\\"id\\":\\"" + accepted.messageId() + "\\"}"));
                    }
                    return Optional.of(HttpReply.problem(422, "Rejected", ((InboundResult.Rejected) result).reason()));
                }
                public DeliveryResult send(OutboundMessage message) {
                    try {
                        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(callback)
                                .header("Idempotency-Key", message.messageId())
                                .POST(HttpRequest.BodyPublishers.ofString(message.inReplyTo() + "|" + message.text())).build(),
                                HttpResponse.BodyHandlers.discarding());
                        return response.statusCode() < 300 ? new DeliveryResult.Delivered("")
                                : new DeliveryResult.RetryLater(Duration.ZERO, "callback answered " + response.statusCode());
                    } catch (Exception e) {
                        return new DeliveryResult.RetryLater(Duration.ZERO, e.toString());
                    }
                }
                public void stop() {}
            }
            """;

    @Test
    void aPluginConnector_receivesOverHooks_andDeliversTheReplyOnce_evenWhenTheCallbackFailsFirst() throws Exception {
        Path dir = Files.createTempDirectory("nexus-plugins-");
        PluginJar.builder("echo")
                .source("echo.EchoConnector", CONNECTOR)
                .extension("echo.EchoConnector")
                .build(dir);
        List<String[]> received = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer callback = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        callback.createContext("/replies", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = calls.incrementAndGet() == 1 ? 500 : 200;
            if (status == 200) {
                received.add(new String[] {exchange.getRequestHeaders().getFirst("Idempotency-Key"), body});
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        callback.start();
        String callbackUrl = "http://127.0.0.1:" + callback.getAddress().getPort() + "/replies";

        try (TestDatabase db = TestDatabases.of(database);
                PluginRuntime plugins = new PluginRuntime(
                        new PluginsConfig(
                                dir.toString(), "", List.of(), Map.of("echo", Map.of("callback", callbackUrl))),
                        dir,
                        id -> Map.of(),
                        Clock.systemUTC())) {
            plugins.start();
            ConversationService conversations = new ConversationService(
                    db.database(),
                    Personalities.withZen(),
                    Recall.none(),
                    List.of(),
                    LanguageModels.create(LlmSettings.offlineDefaults(), new SplittableRandom(1)),
                    ChatSettings.defaults(),
                    Clock.systemUTC(),
                    Runnable::run);
            try (PlatformService platforms = new PlatformService(
                            plugins,
                            conversations,
                            TestConnectors.NO_REACTIONS,
                            db.database(),
                            new PlatformSettings(20, 5, 0, 0, 60, 3),
                            Clock.systemUTC());
                    dev.nexus.host.http.HttpServer server = dev.nexus.host.http.HttpServer.start(
                            new ServerConfig("127.0.0.1", 0, "unused", null),
                            secret -> {
                                throw AccessDeniedException.unauthenticated("no keys");
                            },
                            platforms.routes())) {
                plugins.inbound(platforms.inbound());
                platforms.start();

                HttpResponse<String> response = new TestHttp(server.baseUri(), "")
                        .post(
                                "/hooks/echo",
                                "text/plain",
                                "ada|msg-1|hello from the plugin".getBytes(StandardCharsets.UTF_8));

                assertThat(response.statusCode()).isEqualTo(202);
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (received.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(received).hasSize(1);
                assertThat(received.get(0)[1]).startsWith("msg-1|Welcome, echo:ada.");
                assertThat(calls.get()).isEqualTo(2);
                assertThat(plugins.plugins())
                        .singleElement()
                        .satisfies(info -> assertThat(info.state()).isEqualTo("started"));
            }
        } finally {
            callback.stop(0);
            TestDatabasesCleanup.delete(dir);
        }
    }

    /** Deletes a temporary directory tree. */
    private static final class TestDatabasesCleanup {
        static void delete(Path dir) throws java.io.IOException {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }
}
