package dev.nexus.host.platform;

import dev.nexus.api.platform.InboundMessage;
import dev.nexus.api.platform.InboundSink;
import dev.nexus.api.platform.InboundSinkContract;
import dev.nexus.host.conversation.ChatSettings;
import dev.nexus.host.conversation.ConversationService;
import dev.nexus.host.conversation.Personalities;
import dev.nexus.host.conversation.Recall;
import dev.nexus.host.llm.LanguageModels;
import dev.nexus.host.llm.LlmSettings;
import dev.nexus.host.testing.TestDatabase;
import dev.nexus.host.testing.TestDatabases;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;

/**
 * The host's real sink ({@link Inbox} behind {@link PlatformService}, over real storage) passes the
 * same contract as the test double {@code RecordingInboundSink}; the outage is a real one: the
 * PostgreSQL database refuses connections and the open ones are ended. PostgreSQL only, because an
 * embedded H2 cannot be taken away from under the host; the H2 paths are covered by
 * {@code PlatformServiceTest}.
 */
class InboxContractTest extends InboundSinkContract {

    private TestDatabase db;
    private PlatformService platforms;

    @Override
    protected InboundSink newSink() {
        db = TestDatabases.postgres(1_000);
        TestConnectors connectors = new TestConnectors();
        connectors.add("chat-plugin", new ScriptedConnector("testchat"));
        LanguageModels offline = LanguageModels.create(LlmSettings.offlineDefaults(), new SplittableRandom(1));
        ConversationService conversations = new ConversationService(
                db.database(),
                Personalities.withZen(),
                Recall.none(),
                List.of(),
                offline,
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
        return platforms.inbound();
    }

    @Override
    protected InboundMessage message(String externalId) {
        return new InboundMessage(
                "testchat",
                externalId,
                "contract-user",
                "zen-engineer",
                Optional.empty(),
                "hello",
                Instant.parse("2026-01-01T00:00:00Z"),
                Map.of());
    }

    @Override
    protected void storageDown() {
        db.down();
    }

    @Override
    protected void storageUp() {
        db.up();
    }

    @AfterEach
    void close() {
        if (platforms != null) {
            platforms.close();
        }
        if (db != null) {
            db.close();
        }
    }
}
