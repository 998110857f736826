package dev.nexus.host.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.PluginContext;
import dev.nexus.api.platform.DeliveryResult;
import dev.nexus.api.platform.OutboundMessage;
import dev.nexus.api.platform.PlatformConnector;
import dev.nexus.api.platform.RateLimit;
import dev.nexus.host.AccessDeniedException;
import dev.nexus.host.conversation.ChatSettings;
import dev.nexus.host.conversation.ConversationService;
import dev.nexus.host.conversation.Personalities;
import dev.nexus.host.conversation.Recall;
import dev.nexus.host.db.Database;
import dev.nexus.host.http.HttpServer;
import dev.nexus.host.http.ServerConfig;
import dev.nexus.host.llm.LanguageModels;
import dev.nexus.host.llm.LlmSettings;
import dev.nexus.host.testing.TestDatabase;
import dev.nexus.host.testing.TestDatabases;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code /hooks/{platform}/…} over a real server: forwarded to the connector, no API key needed. */
@ParameterizedClass
@MethodSource(TestDatabases.KINDS)
class HookRoutesTest {

    private final TestDatabase db;

    HookRoutesTest(Database.Kind database) {
        this.db = TestDatabases.of(database);
    }

    private final TestConnectors connectors = new TestConnectors();
    private final ScriptedConnector chat = new ScriptedConnector("testchat");
    private PlatformService platforms;
    private HttpServer server;
    private TestHttp anonymous;

    /** A connector that has no HTTP side. */
    private static final class Quiet implements PlatformConnector {
        @Override
        public String platform() {
            return "quiet";
        }

        @Override
        public RateLimit rateLimit() {
            return RateLimit.perSecond(1);
        }

        @Override
        public void start(PluginContext context) {}

        @Override
        public DeliveryResult send(OutboundMessage message) {
            return new DeliveryResult.Delivered("");
        }

        @Override
        public void stop() {}
    }

    @BeforeEach
    void start() {
        connectors.add("chat-plugin", chat).add("quiet-plugin", new Quiet());
        ConversationService conversations = new ConversationService(
                db.database(),
                Personalities.withZen(),
                Recall.none(),
                List.of(),
                LanguageModels.create(LlmSettings.offlineDefaults(), new SplittableRandom(1)),
                ChatSettings.defaults(),
                Clock.systemUTC(),
                Runnable::run);
        platforms = new PlatformService(
                connectors,
                conversations,
                TestConnectors.NO_REACTIONS,
                db.database(),
                new PlatformSettings(20, 3, 0, 0, 60, 3),
                Clock.systemUTC());
        connectors.sink(platforms.inbound());
        platforms.start();
        server = HttpServer.start(
                new ServerConfig("127.0.0.1", 0, "unused", 1024L),
                secret -> {
                    throw AccessDeniedException.unauthenticated("no keys here");
                },
                platforms.routes());
        anonymous = new TestHttp(server.baseUri(), "");
    }

    @AfterEach
    void stop() {
        server.close();
        platforms.close();
        db.close();
    }

    @Test
    void post_isForwardedToTheConnector_withoutAnApiKey_andItsReplyIsReturned() {
        HttpResponse<String> response =
                anonymous.post("/hooks/testchat/in", "text/plain", "u1|e1|hello".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(TestHttp.json(response)).containsEntry("duplicate", false).containsKey("id");
        HttpResponse<String> again =
                anonymous.post("/hooks/testchat/in", "text/plain", "u1|e1|hello".getBytes(StandardCharsets.UTF_8));
        assertThat(TestHttp.json(again)).containsEntry("duplicate", true);
    }

    @Test
    void theConnectorDecidesAboutPathsMethodsAndBodies() {
        assertThat(anonymous.get("/hooks/testchat/in").statusCode()).isEqualTo(404);
        assertThat(anonymous
                        .post("/hooks/testchat", "text/plain", new byte[] {1})
                        .statusCode())
                .isEqualTo(404);
        HttpResponse<String> bad =
                anonymous.post("/hooks/testchat/in", "text/plain", "no separators".getBytes(StandardCharsets.UTF_8));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat((String) TestHttp.json(bad).get("detail")).isEqualTo("expected user|externalId|text");
    }

    @Test
    void unknownPlatforms_connectorsWithoutHttp_andOversizedBodies_getClearProblems() {
        HttpResponse<String> unknown = anonymous.post("/hooks/nochat/in", "text/plain", new byte[] {1});
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat((String) TestHttp.json(unknown).get("detail"))
                .isEqualTo("no platform connector 'nochat' is running; running platforms are [quiet, testchat]");
        HttpResponse<String> quiet = anonymous.post("/hooks/quiet/x", "text/plain", new byte[] {1});
        assertThat(quiet.statusCode()).isEqualTo(404);
        assertThat((String) TestHttp.json(quiet).get("detail")).isEqualTo("platform 'quiet' takes no HTTP requests");
        assertThat(anonymous
                        .post("/hooks/testchat/in", "text/plain", new byte[4096])
                        .statusCode())
                .isEqualTo(413);
    }
}
