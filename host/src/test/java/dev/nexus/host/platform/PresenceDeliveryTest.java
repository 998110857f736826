package dev.nexus.host.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.platform.InboundResult;
import dev.nexus.host.approval.MutableClock;
import dev.nexus.host.conversation.ChatSettings;
import dev.nexus.host.conversation.ConversationService;
import dev.nexus.host.conversation.Personalities;
import dev.nexus.host.conversation.Recall;
import dev.nexus.host.llm.LanguageModels;
import dev.nexus.host.llm.LlmSettings;
import dev.nexus.host.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Natural timing on the real outbox and courier, under a clock the test moves: a reply to a message
 * that arrives in the personality's quiet hours is held (and says why) until morning, then delivered once.
 */
class PresenceDeliveryTest {

    private static final String DATABASES = "dev.nexus.host.testing.TestDatabases#all";
    private static final PlatformSettings FAST = new PlatformSettings(20, 3, 0, 0, 60, 3);
    private static final ZoneId OSLO = ZoneId.of("Europe/Oslo");

    private final TestConnectors connectors = new TestConnectors();
    private final ScriptedConnector chat = new ScriptedConnector("testchat");
    private PlatformService platforms;

    @AfterEach
    void stop() {
        if (platforms != null) {
            platforms.close();
        }
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void aMessageInQuietHours_isAnsweredAtOnce_butTheReplyWaitsForMorning(TestDatabase db) throws InterruptedException {
        MutableClock clock = new MutableClock(
                LocalDateTime.parse("2026-12-05T23:30").atZone(OSLO).toInstant());
        PresenceSettings presence = new PresenceSettings(
                new PresenceSettings.Profile(
                        "Europe/Oslo",
                        null,
                        Map.of("all", "22:00-07:00"),
                        new PresenceSettings.Typing(1_000L, 0L, null),
                        0L,
                        null),
                Map.of());
        connectors.add("chat-plugin", chat);
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
                IdentityResolver.UNLINKED,
                db.database(),
                FAST,
                presence,
                clock);
        connectors.sink(platforms.inbound());
        platforms.start();

        String inbound = ((InboundResult.Accepted) chat.receive("u1", "ext-1", "still up?")).messageId();
        eventually("the reply is queued", () -> column(db, inbound, "state").equals("queued"));

        assertThat(column(db, inbound, "held"))
                .isEqualTo("typing 1000 ms; quiet hours on testchat until 07:00 Europe/Oslo");
        assertThat(column(db, inbound, "next_attempt_at")).isNotEmpty();
        assertThat(chat.sent())
                .as("nothing is sent while the clock stands in the night")
                .isEmpty();

        clock.advance(Duration.ofHours(7).plusMinutes(29));
        platforms.wakeAll();
        assertThat(column(db, inbound, "state")).as("06:59: still quiet").isEqualTo("queued");

        clock.advance(Duration.ofMinutes(1));
        eventually(
                "the reply is delivered in the morning",
                () -> column(db, inbound, "state").equals("delivered"));
        assertThat(chat.sent())
                .hasSize(1)
                .first()
                .satisfies(sent -> assertThat(sent.inReplyTo()).isEqualTo("ext-1"));
    }

    private static String column(TestDatabase db, String inboundId, String column) {
        return db.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT " + column + " FROM outbox WHERE inbound_id = :id")
                        .bind("id", inboundId)
                        .mapTo(String.class)
                        .findOne()
                        .orElse(""));
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }
}
