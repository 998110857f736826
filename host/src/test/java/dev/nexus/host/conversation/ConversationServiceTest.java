package dev.nexus.host.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.ConflictException;
import dev.nexus.host.DependencyException;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.db.Database;
import dev.nexus.host.db.DatabaseConfig;
import dev.nexus.host.llm.FakeOpenAiServer;
import dev.nexus.host.llm.LanguageModels;
import dev.nexus.host.llm.LlmSettings;
import dev.nexus.host.testing.TestDatabase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConversationServiceTest {

    private static final String DATABASES = "dev.nexus.host.testing.TestDatabases#all";

    private final Personalities personalities = Personalities.withZen();
    private final List<CompletedTurn> observed = new CopyOnWriteArrayList<>();

    private ConversationService service(TestDatabase db, LanguageModels models, Recall recall, ChatSettings settings) {
        return new ConversationService(
                db.database(),
                personalities,
                recall,
                List.of(observed::add),
                models,
                settings,
                Clock.systemUTC(),
                Runnable::run);
    }

    private ConversationService offline(TestDatabase db) {
        return service(
                db,
                LanguageModels.create(LlmSettings.offlineDefaults(), new SplittableRandom(1)),
                Recall.none(),
                ChatSettings.defaults());
    }

    private static LanguageModels remote(FakeOpenAiServer fake, int attempts) {
        return LanguageModels.create(
                new LlmSettings("openai", fake.baseUrl(), "k", "fake-model", null, 5, attempts, 0, null, null, null),
                new SplittableRandom(1));
    }

    private static int rows(TestDatabase db, String table) {
        return db.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table)
                        .mapTo(Integer.class)
                        .one());
    }

    private static ChatRequest say(String message) {
        return ChatRequest.api("zen-engineer", "ada", Optional.empty(), message);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void chat_storesTheMessageAndTheReply_withPersonalityVersionTraitsAndModel(TestDatabase db) {
        ConversationService service = offline(db);
        TurnResult turn = service.chat(say("hello"));

        // The conversation opened with the greeting, stored as its first message; the reply does not repeat it.
        assertThat(service.messages(turn.reply().conversation(), Optional.empty(), 10))
                .first()
                .satisfies(greeting -> {
                    assertThat(greeting.content()).isEqualTo("Welcome, ada. Breathe first; then we debug.");
                    assertThat(greeting.fromAssistant()).isTrue();
                    assertThat(greeting.inReplyTo()).isEmpty();
                    assertThat(greeting.metadata()).containsEntry("greeting", true);
                });
        assertThat(turn.reply().content()).isNotBlank().doesNotContain("Welcome, ada.");
        assertThat(turn.reply().personalityVersion()).contains(1);
        assertThat(turn.reply().traits()).containsEntry("verbosity", 0.5).containsEntry("warmth", 0.7);
        assertThat(turn.reply().model()).contains("offline/nexus-offline");
        assertThat(turn.reply().metadata()).containsEntry("offline", true).containsEntry("finishReason", "stop");
        assertThat(turn.reply().inReplyTo()).contains(turn.userMessage().id());
        List<StoredMessage> stored = offline(db).messages(turn.reply().conversation(), Optional.empty(), 10);
        assertThat(stored).extracting(StoredMessage::role).containsExactly("assistant", "user", "assistant");
        assertThat(stored.get(1).state()).isEqualTo("answered");
        assertThat(stored.get(2)).isEqualTo(turn.reply());
        assertThat(observed).singleElement().satisfies(completed -> {
            assertThat(completed.replyId()).isEqualTo(turn.reply().id());
            assertThat(completed.personalityVersion()).isEqualTo(1);
            assertThat(completed.traits()).containsEntry("verbosity", 0.5);
        });
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void chat_inAConversation_sendsTheHistoryToTheModel_andUsesTheCurrentPersonalityVersion(TestDatabase db) {
        try (FakeOpenAiServer fake = FakeOpenAiServer.start()) {
            fake.enqueue(FakeOpenAiServer.reply("First answer."), FakeOpenAiServer.reply("Second answer."));
            ConversationService service = service(db, remote(fake, 1), Recall.none(), ChatSettings.defaults());
            TurnResult first = service.chat(say("first question"));
            personalities.put(Personalities.zen(0.9), 2);

            TurnResult second = service.chat(ChatRequest.api(
                    "zen-engineer", "ada", Optional.of(first.reply().conversation()), "second question"));

            assertThat(second.reply().conversation()).isEqualTo(first.reply().conversation());
            assertThat(second.reply().personalityVersion()).contains(2);
            assertThat(second.reply().traits()).containsEntry("verbosity", 0.9);
            assertThat(second.reply().metadata())
                    .containsEntry("offline", false)
                    .containsEntry("model", "fake-model");
            assertThat(fake.requests().get(1).messages())
                    .extracting(m -> m.get("role") + ":" + m.get("content"))
                    .containsSubsequence(
                            "user:first question",
                            "assistant:First answer.",
                            "user:second question",
                            "system:Stay calm.");
        }
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void chat_whenTheModelFails_keepsTheUserMessage_marksItFailed_andThrowsARetriableFailure(TestDatabase db) {
        try (FakeOpenAiServer fake = FakeOpenAiServer.start()) {
            fake.enqueue(FakeOpenAiServer.failure(503, "{}"), FakeOpenAiServer.failure(503, "{}"));
            ConversationService service = service(db, remote(fake, 2), Recall.none(), ChatSettings.defaults());

            assertThatThrownBy(() -> service.chat(say("are you there?")))
                    .isInstanceOfSatisfying(
                            DependencyException.class,
                            e -> assertThat(e.retriable()).isTrue())
                    .hasMessageContaining("openai model 'fake-model' at " + fake.baseUrl());

            assertThat(rows(db, "messages")).isEqualTo(2); // the greeting the conversation opened with, and the message
            String state = db.database()
                    .jdbi()
                    .withHandle(h -> h.createQuery("SELECT state FROM messages WHERE role = 'user'")
                            .mapTo(String.class)
                            .one());
            assertThat(state).isEqualTo("failed");
            assertThat(observed).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void aNewConversation_opensWithTheStoredGreeting_andTheModelSeesItOnceAsTheFirstTurnEveryTime(TestDatabase db) {
        try (FakeOpenAiServer fake = FakeOpenAiServer.start()) {
            fake.enqueue(FakeOpenAiServer.reply("One."), FakeOpenAiServer.reply("Two."));
            ConversationService service = service(db, remote(fake, 1), Recall.none(), ChatSettings.defaults());

            TurnResult first = service.chat(say("hello"));
            String conversation = first.reply().conversation();
            service.chat(ChatRequest.api("zen-engineer", "ada", Optional.of(conversation), "and now?"));

            assertThat(service.messages(conversation, Optional.empty(), 10))
                    .extracting(StoredMessage::role)
                    .containsExactly("assistant", "user", "assistant", "user", "assistant");
            assertThat(fake.requests()).hasSize(2).allSatisfy(request -> {
                List<Map<String, Object>> sent = request.messages();
                int greeting = -1;
                for (int i = 0; i < sent.size(); i++) {
                    if ("Welcome, ada. Breathe first; then we debug."
                            .equals(sent.get(i).get("content"))) {
                        assertThat(greeting).as("the greeting is sent once").isEqualTo(-1);
                        greeting = i;
                    }
                }
                assertThat(greeting).as("the greeting is sent").isNotNegative();
                assertThat(sent.get(greeting)).containsEntry("role", "assistant");
                assertThat(sent.get(greeting + 1)).containsEntry("role", "user").containsEntry("content", "hello");
            });
        }
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void accept_theSamePlatformMessageTwice_storesItOnce(TestDatabase db) {
        ConversationService service = offline(db);
        ChatRequest inbound = new ChatRequest(
                "zen-engineer", "u1", Optional.empty(), "hi", "webhook", Optional.of("ext-1"), Map.of("url", "x"));

        ConversationService.Accepted first = service.accept(inbound);
        ConversationService.Accepted second = service.accept(inbound);

        assertThat(first.duplicate()).isFalse();
        assertThat(second.duplicate()).isTrue();
        assertThat(second.message().id()).isEqualTo(first.message().id());
        assertThat(first.message().metadata()).containsEntry("replyTo", Map.of("url", "x"));
        assertThat(first.greeting()).isPresent();
        assertThat(second.greeting()).isEmpty();
        assertThat(rows(db, "messages"))
                .isEqualTo(2); // the message once, after the greeting its conversation opened with
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void accept_platformMessagesOfOneUser_continueTheirLatestConversation(TestDatabase db) {
        ConversationService service = offline(db);

        var first = service.accept(
                new ChatRequest("zen-engineer", "u1", Optional.empty(), "one", "webhook", Optional.of("e1"), Map.of()));
        var second = service.accept(
                new ChatRequest("zen-engineer", "u1", Optional.empty(), "two", "webhook", Optional.of("e2"), Map.of()));
        var other = service.accept(new ChatRequest(
                "zen-engineer", "u2", Optional.empty(), "three", "webhook", Optional.of("e3"), Map.of()));

        assertThat(second.message().conversation()).isEqualTo(first.message().conversation());
        assertThat(other.message().conversation()).isNotEqualTo(first.message().conversation());
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void accept_severalPeopleInOneGroupChat_shareOneConversation_eachAsThemselves(TestDatabase db) {
        ConversationService service = offline(db);

        var ada = service.accept(new ChatRequest(
                "zen-engineer",
                "telegram:1",
                Optional.empty(),
                "one",
                "telegram",
                Optional.of("g1"),
                Map.of(),
                Optional.of("-100")));
        var bob = service.accept(new ChatRequest(
                "zen-engineer",
                "telegram:2",
                Optional.of("ignored"),
                "two",
                "telegram",
                Optional.of("g2"),
                Map.of(),
                Optional.of("-100")));
        var otherGroup = service.accept(new ChatRequest(
                "zen-engineer",
                "telegram:1",
                Optional.empty(),
                "three",
                "telegram",
                Optional.of("g3"),
                Map.of(),
                Optional.of("-200")));
        var direct = service.accept(new ChatRequest(
                "zen-engineer", "telegram:1", Optional.empty(), "four", "telegram", Optional.of("d1"), Map.of()));

        assertThat(bob.message().conversation()).isEqualTo(ada.message().conversation());
        assertThat(bob.message().user()).isEqualTo("telegram:2");
        assertThat(otherGroup.message().conversation())
                .isNotEqualTo(ada.message().conversation());
        assertThat(direct.message().conversation())
                .isNotIn(ada.message().conversation(), otherGroup.message().conversation());
        assertThat(service.ownerOf(ada.message().conversation())).contains("thread:telegram:-100");
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void answer_aSecondTime_returnsTheStoredReply_withoutAskingTheModelAgain(TestDatabase db) {
        try (FakeOpenAiServer fake = FakeOpenAiServer.start()) {
            ConversationService service = service(db, remote(fake, 1), Recall.none(), ChatSettings.defaults());
            String id = service.accept(say("once")).message().id();

            TurnResult first = service.answer(id, Optional.empty());
            TurnResult again = service.answer(id, Optional.empty());

            assertThat(again.reply()).isEqualTo(first.reply());
            assertThat(fake.requests()).hasSize(1);
            assertThat(rows(db, "messages")).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void chat_withBadInput_isRefusedAndStoresNothing(TestDatabase db) {
        ConversationService service = service(
                db,
                LanguageModels.create(LlmSettings.offlineDefaults(), new SplittableRandom(1)),
                Recall.none(),
                new ChatSettings(100, null, null, null, null, null));

        assertThatThrownBy(() -> service.chat(ChatRequest.api("nobody", "ada", Optional.empty(), "hi")))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("unknown personality 'nobody'");
        assertThatThrownBy(() -> service.chat(ChatRequest.api("Bad Id!", "ada", Optional.empty(), "hi")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("personality id must be 1-64 lower-case letters");
        assertThatThrownBy(() -> service.chat(say("   ")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("message must not be empty");
        assertThatThrownBy(() -> service.chat(say("x".repeat(101))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(
                        "message is 101 characters; the limit is 100 (chat.max-message-chars): split it or raise the limit");
        assertThatThrownBy(() -> service.chat(ChatRequest.api("zen-engineer", "a\u0000b", Optional.empty(), "hi")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("user must be 1-200 characters without control characters");
        assertThatThrownBy(() -> service.chat(ChatRequest.api("", "", Optional.empty(), "")))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.problems()).hasSize(3));
        assertThatThrownBy(() ->
                        service.chat(ChatRequest.api("zen-engineer", "ada", Optional.of("no-such-conversation"), "hi")))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("unknown conversation 'no-such-conversation'");
        assertThat(rows(db, "messages")).isZero();
        assertThat(rows(db, "conversations")).isZero();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void chat_inAnotherPersonalitysConversation_isAConflict_andInAnotherUsers_isUnknown(TestDatabase db) {
        ConversationService service = offline(db);
        personalities.put(dev.nexus.host.persona.Personality.minimal("other", "Other", "another one"), 1);
        String conversation = service.chat(say("hi")).reply().conversation();

        assertThatThrownBy(() -> service.chat(ChatRequest.api("other", "ada", Optional.of(conversation), "hi")))
                .isInstanceOf(ConflictException.class)
                .hasMessage(
                        "conversation '" + conversation
                                + "' is with personality 'zen-engineer', not 'other'; leave out conversation to start a new one");
        assertThatThrownBy(() -> service.chat(ChatRequest.api("zen-engineer", "bob", Optional.of(conversation), "hi")))
                .isInstanceOf(dev.nexus.host.NotFoundException.class)
                .hasMessage("unknown conversation '" + conversation + "'");
        assertThatThrownBy(() -> service.chat(ChatRequest.api("other", "bob", Optional.of(conversation), "hi")))
                .isInstanceOf(dev.nexus.host.NotFoundException.class)
                .hasMessage("unknown conversation '" + conversation + "'");
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void chat_usesWhatWasRecalled_andRecordsItsIds(TestDatabase db) {
        List<RecallRequest> asked = new ArrayList<>();
        Recall recall = request -> {
            asked.add(request);
            return new Recollection(
                    List.of(new RecalledItem("fact-1", "fact", "profile", "Ada runs PostgreSQL 16.", 0.9, Map.of())),
                    List.of(new RecalledItem(
                            "lore-7", "lore", "software-engineering", "VACUUM reclaims dead rows.", 0.8, Map.of())));
        };
        ConversationService service = service(
                db,
                LanguageModels.create(LlmSettings.offlineDefaults(), new SplittableRandom(1)),
                recall,
                ChatSettings.defaults());

        TurnResult turn = service.chat(say("why is my table so big?"));

        assertThat(turn.reply().content()).contains("Ada runs PostgreSQL 16.").contains("VACUUM reclaims dead rows.");
        assertThat(turn.recalledMemories()).containsExactly("fact-1");
        assertThat(turn.recalledKnowledge()).containsExactly("lore-7");
        assertThat(turn.reply().metadata().get("recalled"))
                .isEqualTo(Map.of("memories", List.of("fact-1"), "knowledge", List.of("lore-7")));
        assertThat(asked).singleElement().satisfies(request -> {
            assertThat(request.message()).isEqualTo("why is my table so big?");
            assertThat(request.knowledgePacks()).containsExactly("software-engineering");
            assertThat(request.tokenBudget()).isPositive();
        });
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void recall_thatThrows_doesNotFailTheTurn(TestDatabase db) {
        ConversationService service = service(
                db,
                LanguageModels.create(LlmSettings.offlineDefaults(), new SplittableRandom(1)),
                request -> {
                    throw new IllegalStateException("index not ready");
                },
                ChatSettings.defaults());

        assertThat(service.chat(say("hello")).recalledMemories()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void aLongConversation_foldsOlderMessagesIntoTheSummary(TestDatabase db) {
        ConversationService service = service(
                db,
                LanguageModels.create(LlmSettings.offlineDefaults(), new SplittableRandom(1)),
                Recall.none(),
                new ChatSettings(null, 4, 2, null, null, null));
        String conversation =
                service.chat(say("My name is Ada. I like tea.")).reply().conversation();
        for (int i = 0; i < 4; i++) {
            service.chat(ChatRequest.api(
                    "zen-engineer", "ada", Optional.of(conversation), "question number " + i + ". More words."));
        }

        var stored = db.database()
                .jdbi()
                .withHandle((Handle h) -> h.createQuery("SELECT summary, summary_through FROM conversations")
                        .mapToMap()
                        .one());
        assertThat((String) stored.get("summary")).contains("- The user said: My name is Ada.");
        assertThat(((Number) stored.get("summary_through")).longValue()).isPositive();
        TurnResult next =
                service.chat(ChatRequest.api("zen-engineer", "ada", Optional.of(conversation), "what is my name?"));
        assertThat(next.reply().metadata().get("context"))
                .isEqualTo(Map.of("windowMessages", 4, "omittedMessages", 0, "summary", true));
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void conversations_surviveARestart_andContinue(TestDatabase db) throws java.io.IOException {
        String conversation = offline(db).chat(say("remember me")).reply().conversation();
        java.nio.file.Path scratch = java.nio.file.Files.createTempDirectory("nexus-restart-");

        try (Database reopened = Database.open(DatabaseConfig.of(db.url(), "", ""), scratch)) {
            ConversationService restarted = new ConversationService(
                    reopened,
                    personalities,
                    Recall.none(),
                    List.of(),
                    LanguageModels.create(LlmSettings.offlineDefaults(), new SplittableRandom(1)),
                    ChatSettings.defaults(),
                    Clock.systemUTC(),
                    Runnable::run);
            TurnResult next =
                    restarted.chat(ChatRequest.api("zen-engineer", "ada", Optional.of(conversation), "still there?"));

            assertThat(restarted.messages(conversation, Optional.empty(), 10))
                    .extracting(StoredMessage::content)
                    .startsWith("Welcome, ada. Breathe first; then we debug.", "remember me")
                    .contains("still there?")
                    .hasSize(5);
            assertThat(next.reply().content()).doesNotContain("Welcome");
        } finally {
            java.nio.file.Files.deleteIfExists(scratch);
        }
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void reply_describesAStoredReplyForFeedback(TestDatabase db) {
        ConversationService service = offline(db);
        TurnResult turn = service.chat(say("hello there"));

        ReplyFacts facts = service.reply(turn.reply().id()).orElseThrow();

        assertThat(facts.personality().value()).isEqualTo("zen-engineer");
        assertThat(facts.personalityVersion()).isEqualTo(1);
        assertThat(facts.traits()).containsEntry("verbosity", 0.5);
        assertThat(facts.replyLength()).isEqualTo(turn.reply().content().length());
        assertThat(facts.userText()).isEqualTo("hello there");
        assertThat(facts.userMessageId()).isEqualTo(turn.userMessage().id());
        assertThat(service.reply(turn.userMessage().id())).isEmpty();
        assertThat(service.reply("nope")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void observers_runInTheBackground_andOneFailingDoesNotStopTheOthers(TestDatabase db) throws InterruptedException {
        CountDownLatch seen = new CountDownLatch(1);
        CountDownLatch chatReturned = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<Thread> ranOn = new java.util.concurrent.atomic.AtomicReference<>();
        ExecutorService background = Executors.newSingleThreadExecutor();
        try {
            TurnObserver broken = turn -> {
                throw new IllegalStateException("observer bug");
            };
            // Waits until chat has returned: run inline, it would hold chat for 10 s and count down too early.
            TurnObserver patient = turn -> {
                ranOn.set(Thread.currentThread());
                try {
                    if (chatReturned.await(10, TimeUnit.SECONDS)) {
                        seen.countDown();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            ConversationService service = new ConversationService(
                    db.database(),
                    personalities,
                    Recall.none(),
                    List.of(broken, patient),
                    LanguageModels.create(LlmSettings.offlineDefaults(), new SplittableRandom(1)),
                    ChatSettings.defaults(),
                    Clock.systemUTC(),
                    background);

            service.chat(say("hello"));
            chatReturned.countDown();

            assertThat(seen.await(10, TimeUnit.SECONDS))
                    .as("the observer after the broken one ran, after chat returned")
                    .isTrue();
            assertThat(ranOn.get()).isNotNull().isNotSameAs(Thread.currentThread());
        } finally {
            background.shutdownNow();
        }
    }
}
