package dev.nexus.host.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.platform.InboundReaction.Thumbs;
import dev.nexus.api.platform.InboundResult;
import dev.nexus.api.platform.OutboundMessage;
import dev.nexus.api.platform.ReactionResult;
import dev.nexus.host.Host;
import dev.nexus.host.approval.ApprovalConfig;
import dev.nexus.host.approval.ProposalService;
import dev.nexus.host.conversation.ChatSettings;
import dev.nexus.host.conversation.ConversationService;
import dev.nexus.host.conversation.Personalities;
import dev.nexus.host.conversation.Recall;
import dev.nexus.host.evolution.EvolutionConfig;
import dev.nexus.host.evolution.EvolutionService;
import dev.nexus.host.evolution.Feedback;
import dev.nexus.host.evolution.Reply;
import dev.nexus.host.llm.LanguageModels;
import dev.nexus.host.llm.LlmSettings;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reactions forwarded by a connector become feedback through the real evolution feature, wired as the
 * host wires it ({@code Host.reactionFeedback}): once per (platform, reaction id), refused with a reason and
 * nothing stored otherwise.
 */
class ReactionsTest {

    private static final String DATABASES = "dev.nexus.host.testing.TestDatabases#all";
    private static final PlatformSettings FAST = new PlatformSettings(20, 3, 0, 0, 60, 3);
    private static final PersonalityId ZEN = PersonalityId.of("zen-engineer");

    private final TestConnectors connectors = new TestConnectors();
    private final ScriptedConnector chat = new ScriptedConnector("testchat");
    private PlatformService platforms;
    private EvolutionService evolution;

    @AfterEach
    void stop() {
        if (platforms != null) {
            platforms.close();
        }
    }

    /** Starts platforms over real conversations and evolution; returns the reply delivered to one message. */
    private OutboundMessage answered(TestDatabase db) throws InterruptedException {
        Personalities personalities = Personalities.withZen();
        ConversationService conversations = new ConversationService(
                db.database(),
                personalities,
                Recall.none(),
                List.of(),
                LanguageModels.create(LlmSettings.offlineDefaults(), new SplittableRandom(1)),
                ChatSettings.defaults(),
                Clock.systemUTC(),
                Runnable::run);
        ProposalService proposals = new ProposalService(db.database(), Clock.systemUTC(), ApprovalConfig.defaults());
        evolution = new EvolutionService(
                db.database(),
                personalities,
                id -> conversations
                        .reply(id)
                        .map(r -> new Reply(
                                r.messageId(),
                                r.personality(),
                                r.personalityVersion(),
                                r.traits(),
                                r.replyLength(),
                                r.userText().length())),
                proposals,
                new EvolutionConfig(null, null, null, null, null, null),
                Runnable::run,
                Clock.systemUTC(),
                new SplittableRandom(3),
                List::of);
        connectors.add("chat-plugin", chat);
        platforms = new PlatformService(
                connectors, conversations, Host.reactionFeedback(evolution), db.database(), FAST, Clock.systemUTC());
        connectors.sink(platforms.inbound());
        platforms.start();
        InboundResult result = chat.receive("u1", "ext-1", "my deploy keeps failing, what now?");
        assertThat(result).isInstanceOf(InboundResult.Accepted.class);
        eventually("the reply is delivered", () -> !chat.sent().isEmpty() && delivered(db));
        return chat.sent().get(0);
    }

    private static boolean delivered(TestDatabase db) {
        return db.database()
                        .jdbi()
                        .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM outbox WHERE state = 'delivered'")
                                .mapTo(Integer.class)
                                .one())
                == 1;
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

    private List<Feedback> feedback() {
        return evolution.feedback(ZEN);
    }

    private static String reason(ReactionResult result) {
        assertThat(result).isInstanceOf(ReactionResult.Rejected.class);
        return ((ReactionResult.Rejected) result).reason();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void react_onADeliveredReply_becomesFeedbackOnce_evenWhenRedelivered(TestDatabase db) throws InterruptedException {
        OutboundMessage reply = answered(db);

        ReactionResult first =
                chat.react("u1", "r-1", reply.messageId(), Optional.empty(), OptionalInt.of(2), "too long");
        ReactionResult again =
                chat.react("u1", "r-1", reply.messageId(), Optional.empty(), OptionalInt.of(2), "too long");

        assertThat(first).isInstanceOf(ReactionResult.Accepted.class);
        String feedbackId = ((ReactionResult.Accepted) first).feedbackId();
        assertThat(again).isEqualTo(new ReactionResult.Accepted(feedbackId, true));
        assertThat(feedback()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo(feedbackId);
            assertThat(f.message()).isEqualTo(reply.messageId());
            assertThat(f.rater()).isEqualTo("testchat:u1");
            assertThat(f.critiques()).containsExactly("too-long");
            assertThat(f.ratingGiven()).contains("2");
            assertThat(f.rating()).hasValue(0.25);
        });
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void react_sameReactionFromManyThreadsAtOnce_isRecordedOnce(TestDatabase db) throws Exception {
        OutboundMessage reply = answered(db);
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ReactionResult>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return chat.react("u1", "r-race", reply.messageId(), Optional.of(Thumbs.UP), OptionalInt.empty());
                }));
            }
            go.countDown();
            List<ReactionResult> answers = new ArrayList<>();
            for (Future<ReactionResult> result : results) {
                answers.add(result.get(30, TimeUnit.SECONDS));
            }

            assertThat(answers).allSatisfy(answer -> assertThat(answer).isInstanceOf(ReactionResult.Accepted.class));
            assertThat(answers)
                    .filteredOn(answer -> !((ReactionResult.Accepted) answer).duplicate())
                    .hasSize(1);
            assertThat(answers)
                    .extracting(answer -> ((ReactionResult.Accepted) answer).feedbackId())
                    .containsOnly(feedback().get(0).id());
        }
        assertThat(feedback()).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void react_namingThePlatformsDeliveredId_findsTheReply(TestDatabase db) throws InterruptedException {
        OutboundMessage reply = answered(db);

        ReactionResult result = chat.react("u2", "r-7", "out-1", Optional.of(Thumbs.DOWN), OptionalInt.empty());

        assertThat(result).isInstanceOf(ReactionResult.Accepted.class);
        assertThat(feedback()).singleElement().satisfies(f -> {
            assertThat(f.message()).isEqualTo(reply.messageId());
            assertThat(f.ratingGiven()).contains("down");
            assertThat(f.rating()).hasValue(0.0);
        });
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void react_withBadInput_isRejectedWithAReason_andStoresNothing(TestDatabase db) throws InterruptedException {
        OutboundMessage reply = answered(db);
        String id = reply.messageId();

        assertThat(reason(chat.react("u1", "r-1", "no-such-reply", Optional.of(Thumbs.UP), OptionalInt.empty())))
                .isEqualTo(
                        "no reply 'no-such-reply' was sent on platform 'testchat'; react with the messageId of a reply"
                                + " this host sent (or the platform's id of the delivered message)");
        assertThat(reason(chat.react("u1", "r-2", id, Optional.empty(), OptionalInt.of(7))))
                .isEqualTo("rating must be a whole number of stars from 1 to 5, or \"up\" or \"down\"; got 7");
        assertThat(reason(chat.react("u1", "r-3", id, Optional.empty(), OptionalInt.of(0))))
                .startsWith("rating must be a whole number of stars from 1 to 5");
        assertThat(reason(chat.react("u1", "r-4", id, Optional.empty(), OptionalInt.empty(), "too purple")))
                .startsWith("unknown critique 'too purple'; the vocabulary is [too-long, too-short,");
        assertThat(reason(chat.react("u1", "r-5", id, Optional.of(Thumbs.UP), OptionalInt.of(5))))
                .isEqualTo("a reaction gives thumbs or a rating of 1-5, not both; send one of them");
        assertThat(reason(chat.react("u1", "r-6", id, Optional.empty(), OptionalInt.empty())))
                .isEqualTo("feedback needs a rating (1-5 or \"up\"/\"down\"), critiques or a comment");
        assertThat(reason(chat.react("u1", "r-8", id, Optional.empty(), OptionalInt.empty(), "too long", "too short")))
                .isEqualTo(
                        "critiques 'too-long' and 'too-short' contradict each other (both about verbosity); keep one");
        assertThat(reason(chat.react("u1", "x".repeat(201), id, Optional.of(Thumbs.UP), OptionalInt.empty())))
                .isEqualTo("a reaction id must be at most 200 characters, got 201");
        assertThat(feedback()).isEmpty();

        // A rejected reaction id is not used up: fixed, it is recorded.
        assertThat(chat.react("u1", "r-2", id, Optional.empty(), OptionalInt.of(4)))
                .isInstanceOf(ReactionResult.Accepted.class);
        assertThat(feedback()).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void react_aSecondTimeByTheSameUserWithANewId_isRejected(TestDatabase db) throws InterruptedException {
        OutboundMessage reply = answered(db);
        chat.react("u1", "r-1", reply.messageId(), Optional.of(Thumbs.UP), OptionalInt.empty());

        String reason =
                reason(chat.react("u1", "r-2", reply.messageId(), Optional.of(Thumbs.DOWN), OptionalInt.empty()));

        assertThat(reason)
                .startsWith("feedback on message '" + reply.messageId() + "' from this user already exists (id ")
                .endsWith("); one feedback per reply per user");
        assertThat(feedback())
                .singleElement()
                .satisfies(f -> assertThat(f.ratingGiven()).contains("up"));
    }
}
