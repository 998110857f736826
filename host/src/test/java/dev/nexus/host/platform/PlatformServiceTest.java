package dev.nexus.host.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.platform.DeliveryResult;
import dev.nexus.api.platform.InboundMessage;
import dev.nexus.api.platform.InboundResult;
import dev.nexus.api.platform.OutboundMessage;
import dev.nexus.api.platform.PlatformConnector;
import dev.nexus.host.conversation.ChatRequest;
import dev.nexus.host.conversation.ChatSettings;
import dev.nexus.host.conversation.ConversationService;
import dev.nexus.host.conversation.Personalities;
import dev.nexus.host.conversation.Recall;
import dev.nexus.host.llm.FakeOpenAiServer;
import dev.nexus.host.llm.LanguageModels;
import dev.nexus.host.llm.LlmSettings;
import dev.nexus.host.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PlatformServiceTest {

    private static final String DATABASES = "dev.nexus.host.testing.TestDatabases#all";
    private static final PlatformSettings FAST = new PlatformSettings(20, 3, 0, 0, 60, 3);

    private final TestConnectors connectors = new TestConnectors();
    private final ScriptedConnector chat = new ScriptedConnector("testchat");
    private PlatformService platforms;

    @AfterEach
    void stop() {
        if (platforms != null) {
            platforms.close();
        }
    }

    private static ConversationService conversations(TestDatabase db, LanguageModels models) {
        return new ConversationService(
                db.database(),
                Personalities.withZen(),
                Recall.none(),
                List.of(),
                models,
                ChatSettings.defaults(),
                Clock.systemUTC(),
                Runnable::run);
    }

    private static LanguageModels offline() {
        return LanguageModels.create(LlmSettings.offlineDefaults(), new SplittableRandom(1));
    }

    private PlatformService start(ConversationService conversations, TestDatabase db) {
        platforms = new PlatformService(
                connectors, conversations, TestConnectors.NO_REACTIONS, db.database(), FAST, Clock.systemUTC());
        connectors.sink(platforms.inbound());
        platforms.start();
        return platforms;
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

    private static String outboxState(TestDatabase db, String inboundId) {
        return db.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT state FROM outbox WHERE inbound_id = :id")
                        .bind("id", inboundId)
                        .mapTo(String.class)
                        .findOne()
                        .orElse("none"));
    }

    private static int rows(TestDatabase db, String table) {
        return db.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table)
                        .mapTo(Integer.class)
                        .one());
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void inbound_isStoredAnsweredAndDeliveredOnce_toTheAddressItCameFrom(TestDatabase db) throws InterruptedException {
        connectors.add("chat-plugin", chat);
        ConversationService conversations = conversations(db, offline());
        start(conversations, db);

        InboundResult result = chat.receive("u1", "ext-1", "hello there");

        assertThat(result).isInstanceOf(InboundResult.Accepted.class);
        String inboundId = ((InboundResult.Accepted) result).messageId();
        eventually("the reply is delivered", () -> outboxState(db, inboundId).equals("delivered"));
        OutboundMessage sent = chat.sent().get(0);
        assertThat(chat.sent()).hasSize(1);
        assertThat(sent.inReplyTo()).isEqualTo("ext-1");
        assertThat(sent.replyTo()).isEqualTo(Map.of("chat", "chat-u1"));
        assertThat(sent.personality()).isEqualTo("zen-engineer");
        assertThat(sent.attempt()).isEqualTo(1);
        assertThat(conversations.message(sent.messageId())).hasValueSatisfying(reply -> {
            assertThat(reply.content()).isEqualTo(sent.text());
            assertThat(reply.inReplyTo()).contains(inboundId);
            assertThat(reply.platform()).isEqualTo("testchat");
        });
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void inbound_deliveredTwiceByThePlatform_isADuplicate_andAnsweredOnce(TestDatabase db) throws InterruptedException {
        connectors.add("chat-plugin", chat);
        start(conversations(db, offline()), db);

        InboundResult first = chat.receive("u1", "ext-1", "hello");
        InboundResult again = chat.receive("u1", "ext-1", "hello");
        InboundResult next = chat.receive("u1", "ext-2", "and another thing");

        assertThat(again).isEqualTo(new InboundResult.Accepted(((InboundResult.Accepted) first).messageId(), true));
        eventually(
                "both replies are delivered",
                () -> chat.sent().size() >= 2
                        && outboxState(db, ((InboundResult.Accepted) next).messageId())
                                .equals("delivered"));
        assertThat(chat.sent()).extracting(OutboundMessage::inReplyTo).containsExactlyInAnyOrder("ext-1", "ext-2");
        assertThat(rows(db, "messages"))
                .isEqualTo(5); // the greeting the conversation opened with, two messages, two replies
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void delivery_whenTheCallbackFailsAndIsRetried_isSentUntilDelivered_andNeverAgain(TestDatabase db)
            throws InterruptedException {
        chat.then(
                new DeliveryResult.RetryLater(Duration.ZERO, "callback 503"),
                new DeliveryResult.RetryLater(Duration.ZERO, "timeout"));
        connectors.add("chat-plugin", chat);
        start(conversations(db, offline()), db);

        String first = ((InboundResult.Accepted) chat.receive("u1", "ext-1", "hi")).messageId();
        eventually("the first reply is delivered", () -> outboxState(db, first).equals("delivered"));
        String second = ((InboundResult.Accepted) chat.receive("u2", "ext-2", "hi")).messageId();
        eventually(
                "the second reply is delivered", () -> outboxState(db, second).equals("delivered"));

        List<OutboundMessage> toFirst =
                chat.sent().stream().filter(m -> m.inReplyTo().equals("ext-1")).toList();
        assertThat(toFirst).extracting(OutboundMessage::attempt).containsExactly(1, 2, 3);
        assertThat(toFirst)
                .extracting(OutboundMessage::messageId)
                .containsOnly(toFirst.get(0).messageId());
        assertThat(chat.sent()).hasSize(4);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void delivery_thatKeepsFailing_isGivenUpAfterMaxAttempts_andAPermanentFailureAtOnce(TestDatabase db)
            throws InterruptedException {
        chat.then(
                new DeliveryResult.RetryLater(Duration.ZERO, "down"),
                new DeliveryResult.RetryLater(Duration.ZERO, "down"),
                new DeliveryResult.RetryLater(Duration.ZERO, "down"),
                new DeliveryResult.Failed("404 no such chat"));
        connectors.add("chat-plugin", chat);
        start(conversations(db, offline()), db);

        String first = ((InboundResult.Accepted) chat.receive("u1", "ext-1", "hi")).messageId();
        eventually("the first reply is given up", () -> outboxState(db, first).equals("failed"));
        String second = ((InboundResult.Accepted) chat.receive("u2", "ext-2", "hi")).messageId();
        eventually("the second reply fails", () -> outboxState(db, second).equals("failed"));

        assertThat(chat.sent()).hasSize(4);
        String error = db.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT last_error FROM outbox WHERE inbound_id = :id")
                        .bind("id", first)
                        .mapTo(String.class)
                        .one());
        assertThat(error).isEqualTo("gave up after 3 attempts: down");
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void inbound_forAnUnknownPersonality_isRejected_forAConnectorNotRunning_isRetriedLater_andNothingIsStored(
            TestDatabase db) {
        connectors.add("chat-plugin", chat);
        start(conversations(db, offline()), db);

        InboundResult result = chat.receive("u1", "ext-1", "x".repeat(9000));
        InboundResult unknown = platforms
                .inbound()
                .deliver(new InboundMessage(
                        "testchat", "ext-x", "u1", "nobody", Optional.empty(), "hi", Instant.EPOCH, Map.of()));
        InboundResult elsewhere = platforms
                .inbound()
                .deliver(new InboundMessage(
                        "nochat", "ext-y", "u1", "zen-engineer", Optional.empty(), "hi", Instant.EPOCH, Map.of()));

        assertThat(result)
                .isEqualTo(
                        new InboundResult.Rejected(
                                "message is 9000 characters; the limit is 8000 (chat.max-message-chars): split it or raise the limit"));
        assertThat(unknown).isEqualTo(new InboundResult.Rejected("unknown personality 'nobody'"));
        // A connector that is not running (yet, or any more) is told to retry, never to drop the message.
        assertThat(elsewhere)
                .isEqualTo(
                        new InboundResult.RetryLater(
                                Inbox.RETRY_AFTER,
                                "the 'nochat' connector is not running on this host right now (starting, stopping or disabled); try again later"));
        assertThat(rows(db, "messages")).isZero();
        assertThat(rows(db, "outbox")).isZero();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void start_isolatesAConnectorThatThrowsOrTakesATakenPlatform_andRunsTheOthers(TestDatabase db)
            throws InterruptedException {
        PlatformConnector broken = new ScriptedConnector("brokenchat").failingOnStart();
        connectors
                .add("broken-plugin", broken)
                .add("chat-plugin", chat)
                .add("copycat-plugin", new ScriptedConnector("testchat"));
        start(conversations(db, offline()), db);

        assertThat(platforms.platforms()).containsExactly("testchat");
        assertThat(connectors.failed()).containsExactlyInAnyOrder("broken-plugin", "copycat-plugin");
        String id = ((InboundResult.Accepted) chat.receive("u1", "ext-1", "hi")).messageId();
        eventually("the reply is delivered", () -> outboxState(db, id).equals("delivered"));
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void start_answersAndDeliversWhatAPreviousRunLeftUnanswered(TestDatabase db) throws InterruptedException {
        ConversationService conversations = conversations(db, offline());
        String stored = conversations
                .accept(new ChatRequest(
                        "zen-engineer",
                        "u1",
                        Optional.empty(),
                        "are you there?",
                        "testchat",
                        Optional.of("ext-9"),
                        Map.of("chat", "c-9")))
                .message()
                .id();
        connectors.add("chat-plugin", chat);

        start(conversations, db);

        eventually(
                "the old message is answered and delivered",
                () -> outboxState(db, stored).equals("delivered"));
        assertThat(chat.sent()).singleElement().satisfies(sent -> {
            assertThat(sent.inReplyTo()).isEqualTo("ext-9");
            assertThat(sent.replyTo()).isEqualTo(Map.of("chat", "c-9"));
        });
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void answer_whenTheModelIsDownForAWhile_isRetried_andDeliveredOnceItIsBack(TestDatabase db)
            throws InterruptedException {
        try (FakeOpenAiServer fake = FakeOpenAiServer.start()) {
            fake.enqueue(
                    FakeOpenAiServer.failure(503, "{}"),
                    FakeOpenAiServer.failure(503, "{}"),
                    FakeOpenAiServer.reply("Back again."));
            LanguageModels models = LanguageModels.create(
                    new LlmSettings("openai", fake.baseUrl(), "k", "m", null, 5, 1, 0, null, null, null),
                    new SplittableRandom(1));
            connectors.add("chat-plugin", chat);
            start(conversations(db, models), db);

            String id = ((InboundResult.Accepted) chat.receive("u1", "ext-1", "hello?")).messageId();

            eventually("the reply is delivered", () -> outboxState(db, id).equals("delivered"));
            assertThat(chat.sent()).extracting(OutboundMessage::text).containsExactly("Back again.");
            assertThat(fake.requests()).hasSize(3);
        }
    }
}
