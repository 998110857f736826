package dev.nexus.host.conversation;

import dev.nexus.api.turn.Turn;
import dev.nexus.host.ConflictException;
import dev.nexus.host.DependencyException;
import dev.nexus.host.Ids;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NexusException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.db.Database;
import dev.nexus.host.llm.FinishReason;
import dev.nexus.host.llm.LanguageModel;
import dev.nexus.host.llm.LanguageModels;
import dev.nexus.host.llm.ModelDescription;
import dev.nexus.host.llm.ModelReply;
import dev.nexus.host.llm.TokenSink;
import dev.nexus.host.llm.TokenUsage;
import dev.nexus.host.metrics.Metrics;
import dev.nexus.host.persona.Personality;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.PersonalityLookup;
import dev.nexus.host.persona.PersonalityVersion;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door of conversations: runs a turn (store the user's message, resolve the personality,
 * recall, compose, ask the model, store the reply with the personality version and traits used,
 * then notify observers in the background), lists messages, and answers feedback's questions about
 * stored replies.
 *
 * <p>A user message is stored before the model is called, so nothing acknowledged is lost; if the
 * model fails the message stays stored (state {@code failed}) and the failure is thrown. A user
 * message gets at most one reply: answering it again returns the stored reply. A remote model is
 * offered the tool box's tools and may call them for up to {@code chat.max-tool-rounds} rounds (see
 * {@link ToolLoop}); the calls and their outcomes are recorded in the reply's metadata
 * ({@code tools}), never as messages of their own. Thread-safe.
 */
public final class ConversationService {

    private static final Logger LOG = LoggerFactory.getLogger(ConversationService.class);
    private static final int RECENT_FOR_RECALL = 6;

    /**
     * What {@link #accept} did. Immutable.
     *
     * @param message the stored user message
     * @param duplicate true when the platform had delivered this message before (nothing new was stored)
     */
    public record Accepted(StoredMessage message, boolean duplicate, Optional<StoredMessage> greeting) {}

    private final ConversationRepository repository;
    private volatile VersionChooser versions = VersionChooser.CURRENT;
    private final PersonalityLookup personalities;
    private final Recall recall;
    private final LanguageModels models;
    private final ChatSettings settings;
    private final Clock clock;
    private final PromptComposer composer;
    private final ChatRules rules;
    private final FollowUp followUp;
    private final ToolLoop toolLoop;
    private final TurnFilters filters;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ConversationEvents events = new ConversationEvents();
    private final Database.Kind kind;
    private final Executor background;
    private volatile Metrics metrics = Metrics.none();
    private volatile AutoRouting autoRouting = AutoRouting.none();

    /**
     * Creates the service.
     *
     * @param database where conversations are stored
     * @param personalities finds the current version of a personality
     * @param recall memory and knowledge for each turn
     * @param observers called after each stored turn, on {@code background}
     * @param models the language models
     * @param settings the {@code chat} section
     * @param clock the clock for timestamps and ids
     * @param background runs observers and summary upkeep after a turn
     */
    public ConversationService(
            Database database,
            PersonalityLookup personalities,
            Recall recall,
            List<TurnObserver> observers,
            LanguageModels models,
            ChatSettings settings,
            Clock clock,
            Executor background) {
        this(database, personalities, recall, observers, models, settings, clock, background, ToolBox.none());
    }

    /**
     * Creates the service with tools to offer remote models.
     *
     * @param tools the tools offered to remote models, and how calls to them run
     * @see #ConversationService(Database, PersonalityLookup, Recall, List, LanguageModels, ChatSettings, Clock, Executor)
     */
    public ConversationService(
            Database database,
            PersonalityLookup personalities,
            Recall recall,
            List<TurnObserver> observers,
            LanguageModels models,
            ChatSettings settings,
            Clock clock,
            Executor background,
            ToolBox tools) {
        this(
                database,
                personalities,
                recall,
                observers,
                models,
                settings,
                clock,
                background,
                tools,
                TurnFilters.none());
    }

    /**
     * Creates the service with tools and turn middleware.
     *
     * @param filters consulted before and after the model on every turn (plugins' {@code TurnFilter}s)
     * @see #ConversationService(Database, PersonalityLookup, Recall, List, LanguageModels, ChatSettings, Clock, Executor, ToolBox)
     */
    public ConversationService(
            Database database,
            PersonalityLookup personalities,
            Recall recall,
            List<TurnObserver> observers,
            LanguageModels models,
            ChatSettings settings,
            Clock clock,
            Executor background,
            ToolBox tools,
            TurnFilters filters) {
        this(
                database,
                personalities,
                recall,
                observers,
                models,
                settings,
                clock,
                background,
                new RenderedPersonaSection(settings.defaultPrompt()),
                tools,
                filters);
    }

    ConversationService(
            Database database,
            PersonalityLookup personalities,
            Recall recall,
            List<TurnObserver> observers,
            LanguageModels models,
            ChatSettings settings,
            Clock clock,
            Executor background,
            PersonaSection persona) {
        this(database, personalities, recall, observers, models, settings, clock, background, persona, ToolBox.none());
    }

    ConversationService(
            Database database,
            PersonalityLookup personalities,
            Recall recall,
            List<TurnObserver> observers,
            LanguageModels models,
            ChatSettings settings,
            Clock clock,
            Executor background,
            PersonaSection persona,
            ToolBox tools) {
        this(
                database,
                personalities,
                recall,
                observers,
                models,
                settings,
                clock,
                background,
                persona,
                tools,
                TurnFilters.none());
    }

    ConversationService(
            Database database,
            PersonalityLookup personalities,
            Recall recall,
            List<TurnObserver> observers,
            LanguageModels models,
            ChatSettings settings,
            Clock clock,
            Executor background,
            PersonaSection persona,
            ToolBox tools,
            TurnFilters filters) {
        this.filters = filters;
        this.background = background;
        this.kind = database.kind();
        this.repository = new ConversationRepository(database);
        this.personalities = personalities;
        this.recall = recall;
        this.models = models;
        this.settings = settings;
        this.clock = clock;
        this.composer = new PromptComposer(persona);
        this.rules = new ChatRules(settings.maxMessageChars());
        this.toolLoop = new ToolLoop(tools, settings.maxToolRounds());
        Summarizer summarizer =
                models.offline() ? new ExtractiveSummarizer() : new ModelSummarizer(models.defaultModel());
        this.followUp = new FollowUp(
                repository, observers, summarizer, settings, models.contextTokens() - models.replyTokens(), background);
    }

    /**
     * Lets {@code value} pick which version of a personality answers each user (A/B experiments);
     * set once, by the composition root, before the first turn. Returns this service.
     */
    public ConversationService withVersions(VersionChooser value) {
        this.versions = java.util.Objects.requireNonNull(value, "versions");
        return this;
    }

    /**
     * Records the turn's stages (store, model), tokens and tool calls in {@code value}; set once, by the
     * composition root, before the first turn. Returns this service.
     */
    public ConversationService withMetrics(Metrics value) {
        this.metrics = java.util.Objects.requireNonNull(value, "metrics");
        return this;
    }

    /**
     * Lets chats ask for {@code personality: "auto"}: a new conversation gets the personality
     * {@code routing} picks for its first message; a continued one keeps its own. Set once, by the
     * composition root, before the first turn. Returns this service.
     */
    public ConversationService withAutoRouting(AutoRouting routing) {
        this.autoRouting = java.util.Objects.requireNonNull(routing, "routing");
        return this;
    }

    /** Runs a whole turn and returns the stored reply. */
    public TurnResult chat(ChatRequest request) {
        return fresh(accept(request), Optional.empty());
    }

    /** Runs a whole turn, streaming the reply into {@code sink} as it is written. */
    public TurnResult chat(ChatRequest request, TokenSink sink) {
        return fresh(accept(request), Optional.of(sink));
    }

    /**
     * Answers a message just returned by {@link #accept}: a new message has no reply yet, so this skips
     * looking for one (a duplicate gets its stored reply).
     */
    public TurnResult answer(Accepted accepted, Optional<TokenSink> sink) {
        return fresh(accepted, sink);
    }

    private TurnResult fresh(Accepted accepted, Optional<TokenSink> sink) {
        if (accepted.duplicate()) {
            return answer(accepted.message().id(), sink);
        }
        inFlight.incrementAndGet();
        try {
            return runTurn(accepted.message(), sink, use -> {});
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /**
     * Validates and stores a user message without answering it yet.
     *
     * @throws InvalidInputException for an empty or oversized message, a bad user or personality id
     * @throws NotFoundException for an unknown personality or conversation
     * @throws ConflictException when the conversation belongs to another personality or user
     */
    public Accepted accept(ChatRequest original) {
        String text = rules.validate(original);
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (!original.replyTo().isEmpty()) {
            metadata.put("replyTo", original.replyTo());
        }
        ChatRequest request = routed(original, text, metadata);
        PersonalityVersion version = personality(request.personality());
        try {
            long storing = System.nanoTime();
            var inserted = repository.insertUserMessage(
                    request,
                    version.id(),
                    text,
                    metadata,
                    clock.instant(),
                    () -> Ids.newId(clock),
                    found -> ChatRules.checkConversation(request, version.id(), found),
                    () -> greetingText(version, request.user()));
            metrics.record(Metrics.Stage.STORE, storing);
            inserted.greeting().ifPresent(events::stored);
            if (!inserted.duplicate()) {
                events.stored(inserted.message());
            }
            return new Accepted(inserted.message(), inserted.duplicate(), inserted.greeting());
        } catch (NexusException e) {
            throw e;
        } catch (RuntimeException e) {
            if (request.externalId().isPresent()) {
                Optional<StoredMessage> raced = repository.byExternalId(
                        request.platform(), request.externalId().get());
                if (raced.isPresent()) {
                    return new Accepted(raced.get(), true, Optional.empty());
                }
            }
            throw e;
        }
    }

    /**
     * Resolves {@code personality: "auto"}: a continued conversation keeps its personality, a new one
     * gets the routed one (noted in {@code metadata} as {@code routed}).
     *
     * @throws InvalidInputException when no personality can be picked
     */
    private ChatRequest routed(ChatRequest request, String text, Map<String, Object> metadata) {
        if (!AutoRouting.AUTO.equals(request.personality())) {
            return request;
        }
        String chosen;
        if (request.conversation().isPresent()) {
            chosen = repository
                    .conversation(request.conversation().get())
                    .orElseThrow(() -> NotFoundException.of(
                            "conversation", request.conversation().get()))
                    .personality()
                    .value();
        } else {
            AutoRouting.Routed routed = autoRouting
                    .pick(text)
                    .orElseThrow(
                            () -> new InvalidInputException(
                                    "personality \"auto\" found no personality to route to; name one, e.g. \"personality\": \"patient-teacher\""));
            chosen = routed.personality();
            metadata.put(
                    "routed",
                    Map.of("personality", routed.personality(), "score", routed.score(), "reasons", routed.reasons()));
        }
        return new ChatRequest(
                chosen,
                request.user(),
                request.conversation(),
                request.message(),
                request.platform(),
                request.externalId(),
                request.replyTo(),
                request.thread(),
                request.speaker());
    }

    /** The personality's first greeting, macros expanded for {@code user}; empty when it has none. */
    private Optional<ConversationRepository.Greeting> greetingText(PersonalityVersion version, String user) {
        Personality personality = version.personality();
        if (personality.greetings().isEmpty()) {
            return Optional.empty();
        }
        String text = composer.expand(personality, user, personality.greetings().get(0))
                .strip();
        return text.isEmpty()
                ? Optional.empty()
                : Optional.of(new ConversationRepository.Greeting(text, version.version()));
    }

    /**
     * The greeting as the assistant turn that opens a conversation stored before greetings were (their
     * first message is the user's); empty without one.
     */
    private Optional<StoredMessage> greeting(PersonalityVersion version, StoredMessage message) {
        return greetingText(version, message.user())
                .map(greeting -> new StoredMessage(
                        "greeting",
                        message.conversation(),
                        0,
                        StoredMessage.ASSISTANT,
                        greeting.text(),
                        message.platform(),
                        Optional.empty(),
                        message.user(),
                        message.personality(),
                        Optional.of(greeting.version()),
                        Map.of(),
                        Optional.empty(),
                        Map.of("greeting", true),
                        Optional.empty(),
                        "complete",
                        message.createdAt(),
                        Optional.empty()));
    }

    /**
     * Answers a stored user message: recall, compose, call the model (streaming into {@code sink}
     * when present), store the reply. Idempotent: a message already answered returns its stored reply.
     *
     * @throws NotFoundException when no such user message or personality exists
     * @throws DependencyException when the model fails (the user message is then marked failed)
     */
    public TurnResult answer(String userMessageId, Optional<TokenSink> sink) {
        return answer(userMessageId, sink, use -> {});
    }

    /**
     * Answers a stored user message like {@link #answer(String, Optional)}, telling {@code toolUses}
     * about each tool call once it has run (on the calling thread, before the model is asked again).
     */
    public TurnResult answer(String userMessageId, Optional<TokenSink> sink, Consumer<ToolUse> toolUses) {
        inFlight.incrementAndGet();
        try {
            StoredMessage message = repository
                    .message(userMessageId)
                    .filter(found -> !found.fromAssistant())
                    .orElseThrow(() -> NotFoundException.of("user message", userMessageId));
            Optional<StoredMessage> done = repository.replyTo(message.id());
            if (done.isPresent()) {
                sink.ifPresent(s -> s.accept(done.get().content()));
                return new TurnResult(
                        message, done.get(), recalledIds(done.get(), "memories"), recalledIds(done.get(), "knowledge"));
            }
            return runTurn(message, sink, toolUses);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private TurnResult runTurn(StoredMessage message, Optional<TokenSink> sink, Consumer<ToolUse> toolUses) {
        // Every log line of the turn names its conversation (a field of its own in structured logs).
        try (org.slf4j.MDC.MDCCloseable ignored = org.slf4j.MDC.putCloseable("conversation", message.conversation())) {
            return runTurnInContext(message, sink, toolUses);
        }
    }

    private TurnResult runTurnInContext(StoredMessage message, Optional<TokenSink> sink, Consumer<ToolUse> toolUses) {
        Asked asked;
        try {
            asked = ask(message, sink, toolUses);
        } catch (RuntimeException e) {
            // Tool calls already made stay made (and risky ones stay proposed); the message can be answered again.
            markFailed(message, e);
            throw e;
        }
        long storing = System.nanoTime();
        StoredMessage stored = storeReply(
                message,
                asked.version(),
                asked.answered(),
                asked.prompt(),
                asked.notes(),
                sink.isPresent(),
                Optional.empty(),
                asked.recordUse());
        metrics.record(Metrics.Stage.STORE, storing);
        TurnResult result = new TurnResult(
                message, stored, asked.prompt().memoryIds(), asked.prompt().knowledgeIds());
        followUp.after(result, asked.version(), asked.summarise());
        return result;
    }

    /**
     * Marks the user message failed. When the turn failed because the database is unreachable, marking
     * it would most likely wait out the connection timeout a second time before the caller gets its 503,
     * so it is tried in the background instead (a message it cannot mark stays pending until the next
     * start marks it, see {@link #failAbandonedTurns()}).
     */
    private void markFailed(StoredMessage message, RuntimeException failure) {
        if (!fromDatabase(failure)) {
            try {
                repository.markUser(message.id(), "failed");
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
            return;
        }
        background.execute(() -> {
            try {
                repository.markUser(message.id(), "failed");
            } catch (RuntimeException e) {
                LOG.warn(
                        "could not mark message {} failed while the database is unavailable; the next start does",
                        message.id());
            }
        });
    }

    private static boolean fromDatabase(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof java.sql.SQLException) {
                return true;
            }
        }
        return false;
    }

    /** What the model answered for a user message, with what went into the prompt. */
    private record Asked(
            PersonalityVersion version,
            ToolLoop.Result answered,
            PromptComposer.Prompt prompt,
            boolean summarise,
            Map<String, Object> notes,
            Runnable recordUse) {}

    /** Runs {@code work} on its first call only. */
    private static Runnable once(Runnable work) {
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                work.run();
            }
        };
    }

    /** Writes what the recall left to write (retrieval counts) on its own; a failure there only costs the counts. */
    private static void recordQuietly(Runnable recordUse, StoredMessage message) {
        try {
            recordUse.run();
        } catch (RuntimeException e) {
            LOG.warn(
                    "could not record the use of the memories recalled for message {}: {}", message.id(), e.toString());
        }
    }

    /**
     * Writes another reply to the message that {@code replyId} answers and keeps it beside the first as an
     * alternative (a "swipe"): same history, recall and personality (its current version), a new model
     * call. The conversation's history keeps the first reply; feedback may name any alternative.
     *
     * @throws NotFoundException when {@code replyId} is no stored reply
     * @throws DependencyException when the model fails (nothing is stored)
     */
    public TurnResult regenerate(String replyId) {
        StoredMessage reply = repository
                .message(replyId)
                .filter(StoredMessage::fromAssistant)
                .orElseThrow(() -> NotFoundException.of("reply", replyId));
        StoredMessage question = reply.inReplyTo()
                .flatMap(repository::message)
                .orElseThrow(() -> NotFoundException.of("user message answered by reply", replyId));
        String first = repository.replyTo(question.id()).map(StoredMessage::id).orElse(reply.id());
        inFlight.incrementAndGet();
        try {
            Asked asked = ask(question, Optional.empty(), use -> {}, "regenerate");
            StoredMessage stored = storeReply(
                    question,
                    asked.version(),
                    asked.answered(),
                    asked.prompt(),
                    asked.notes(),
                    false,
                    Optional.of(first),
                    asked.recordUse());
            return new TurnResult(
                    question, stored, asked.prompt().memoryIds(), asked.prompt().knowledgeIds());
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Returns every alternative reply of a conversation (regenerated ones), oldest first. */
    public List<StoredMessage> alternatives(String conversationId) {
        return repository.alternatives(conversationId);
    }

    private Asked ask(StoredMessage message, Optional<TokenSink> sink, Consumer<ToolUse> toolUses) {
        return ask(message, sink, toolUses, message.role().equals("tool") ? "continue" : "normal");
    }

    /**
     * Answers {@code message}; {@code kind} is the generation type World Info triggers see
     * ({@code normal}, {@code regenerate}, {@code continue}).
     */
    private Asked ask(StoredMessage message, Optional<TokenSink> sink, Consumer<ToolUse> toolUses, String kind) {
        VersionChooser.Chosen chosen =
                versions.choose(personality(message.personality().value()), message.user());
        PersonalityVersion version = chosen.version();
        Personality personality = version.personality();
        // One connection for the conversation and its recent history. Read one summary batch beyond the
        // window: then the history itself tells whether it is time to summarise.
        long reading = System.nanoTime();
        var context = repository.turnContext(message, settings.windowMessages() + settings.summaryBatch());
        metrics.record(Metrics.Stage.STORE, reading);
        ConversationRepository.Conversation conversation = context.conversation();
        List<StoredMessage> unsummarised = context.history();
        boolean summarise = unsummarised.size() >= settings.windowMessages() + settings.summaryBatch();
        List<StoredMessage> history =
                unsummarised.subList(Math.max(0, unsummarised.size() - settings.windowMessages()), unsummarised.size());
        // The stored greeting is the personality's, but not an answer: the first turn is the first reply.
        boolean firstTurn = conversation.summaryThrough() == 0
                && unsummarised.stream()
                        .noneMatch(m -> m.fromAssistant() && m.inReplyTo().isPresent());
        boolean storedGreeting = unsummarised.stream()
                .anyMatch(m -> m.fromAssistant() && m.inReplyTo().isEmpty());
        // Shown to the person: the HTTP API returns the greeting with the turn that opened the conversation;
        // a platform (Telegram, a webhook) sends only replies, so there the first reply still greets.
        boolean greeted = storedGreeting && ChatRequest.API.equals(message.platform());
        // A new conversation opens with the stored greeting (see accept), so the model sees it as the
        // personality's first turn. A conversation stored before greetings were has none: it gets it here.
        if (unsummarised.isEmpty() && conversation.summaryThrough() == 0) {
            history = greeting(version, message).map(List::of).orElse(history);
        }
        int budget = models.contextTokens() - models.replyTokens();
        int recallBudget = (int) (budget * settings.recallShare());
        // World Info's clock: the messages in the chat with this one, a greeting shown but not stored included.
        long chatLength = context.earlier()
                + 1
                + (!storedGreeting
                                && context.earlier() == 0
                                && !personality.greetings().isEmpty()
                        ? 1
                        : 0);
        int attempt = kind.equals("regenerate") ? (int) Math.min(Integer.MAX_VALUE, context.alternatives() + 1) : 0;
        Recollection recalled = recall(
                personality, message, history, recallBudget, kind, chatLength, context.earlierReplies(), attempt);
        // What the recall writes goes into the reply's transaction; a turn that fails before it writes it alone.
        Runnable recordUse = once(recalled.recordUse());
        try {
            // Turn middleware (issue 18): filters may amend the text, add context or refuse before the model.
            TurnFilters.Before filtered = filters.before(new Turn(
                    personality.id().value(),
                    message.user(),
                    message.platform(),
                    message.conversation(),
                    message.content(),
                    List.of()));
            PromptComposer.Prompt prompt = composer.compose(new PromptComposer.Input(
                    personality,
                    message.user(),
                    history,
                    conversation.summary(),
                    withContext(filtered.turn()),
                    recalled,
                    budget,
                    recallBudget,
                    settings.windowMessages(),
                    firstTurn,
                    greeted,
                    message.speaker()));

            ToolLoop.Result answered;
            if (filtered.refusal().isPresent()) {
                answered = refused(filtered.refusal().get());
                sink.ifPresent(s -> s.accept(answered.reply().text()));
            } else {
                LanguageModel model = personality
                        .model()
                        .map(choice -> models.chosen(personality.id().value(), choice))
                        .orElseGet(models::defaultModel);
                // With filters the reply may still change, so it is sent once, after them, instead of streamed.
                boolean filtering = filters.active();
                Optional<TokenSink> streaming = filtering ? Optional.empty() : sink;
                long asking = System.nanoTime();
                ToolLoop.Result raw = toolLoop.run(
                        model,
                        prompt.request(),
                        streaming,
                        toolUses,
                        message.user(),
                        personality.id().value());
                metrics.record(Metrics.Stage.MODEL, asking);
                metrics.tokens(
                        raw.reply().model().provider(),
                        raw.usage().input(),
                        raw.usage().output());
                raw.uses().forEach(use -> metrics.toolCall(use.outcome().name().toLowerCase(java.util.Locale.ROOT)));
                answered = filtering
                        ? amended(
                                raw, filters.after(filtered.turn(), raw.reply().text()))
                        : raw;
                if (filtering) {
                    sink.ifPresent(s -> s.accept(answered.reply().text()));
                }
            }
            Map<String, Object> notes = recalled.notes();
            if (!chosen.metadata().isEmpty()) {
                notes = new LinkedHashMap<>(notes);
                notes.putAll(chosen.metadata());
            }
            return new Asked(version, answered, prompt, summarise, notes, recordUse);
        } catch (RuntimeException e) {
            recordQuietly(recordUse, message);
            throw e;
        }
    }

    /** The user's message as filters left it, with the context they added below it. */
    private static String withContext(Turn turn) {
        if (turn.context().isEmpty()) {
            return turn.text();
        }
        return turn.text() + "\n\n[Context added by the host's plugins]\n- " + String.join("\n- ", turn.context());
    }

    private static ToolLoop.Result refused(TurnFilters.Refusal refusal) {
        ModelReply reply = new ModelReply(
                refusal.reply(),
                new TokenUsage(0, 0),
                FinishReason.STOP,
                new ModelDescription("turn-filter", refusal.pluginId(), "", true),
                List.of());
        return new ToolLoop.Result(reply, List.of(), new TokenUsage(0, 0), false);
    }

    private static ToolLoop.Result amended(ToolLoop.Result raw, String text) {
        if (text.equals(raw.reply().text())) {
            return raw;
        }
        ModelReply reply = raw.reply();
        return new ToolLoop.Result(
                new ModelReply(text, reply.usage(), reply.finishReason(), reply.model(), reply.toolCalls()),
                raw.uses(),
                raw.usage(),
                raw.limitReached());
    }

    private StoredMessage storeReply(
            StoredMessage message,
            PersonalityVersion version,
            ToolLoop.Result answered,
            PromptComposer.Prompt prompt,
            Map<String, Object> notes,
            boolean streamed,
            Optional<String> alternativeOf,
            Runnable recordUse) {
        ModelReply reply = answered.reply();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("offline", reply.offline());
        metadata.put("provider", reply.model().provider());
        metadata.put("model", reply.model().name());
        metadata.put("finishReason", reply.finishReason().name().toLowerCase(java.util.Locale.ROOT));
        metadata.put(
                "usage",
                Map.of(
                        "input",
                        answered.usage().input(),
                        "output",
                        answered.usage().output()));
        metadata.put("promptTokens", prompt.estimatedTokens());
        metadata.put("recalled", Map.of("memories", prompt.memoryIds(), "knowledge", prompt.knowledgeIds()));
        metadata.put(
                "context",
                Map.of(
                        "windowMessages",
                        prompt.windowMessages(),
                        "omittedMessages",
                        prompt.omittedMessages(),
                        "summary",
                        prompt.summaryIncluded()));
        metadata.putAll(notes);
        metadata.put("streamed", streamed);
        metadata.put("tools", answered.uses().stream().map(ToolUse::metadata).toList());
        if (answered.limitReached()) {
            metadata.put("toolRoundsExceeded", true);
        }
        alternativeOf.ifPresent(first -> metadata.put("alternativeOf", first));
        var row = new ConversationRepository.NewMessage(
                Ids.newId(clock),
                message.conversation(),
                StoredMessage.ASSISTANT,
                reply.text(),
                message.platform(),
                Optional.empty(),
                message.user(),
                version.id(),
                Optional.of(version.version()),
                version.personality().traits().values(),
                Optional.of(reply.model().provider() + "/" + reply.model().name()),
                metadata,
                alternativeOf.isPresent() ? Optional.empty() : Optional.of(message.id()),
                "complete",
                clock.instant(),
                Optional.empty());
        if (alternativeOf.isPresent()) {
            recordQuietly(recordUse, message);
            StoredMessage alternative = repository.insertAlternative(row, message.id());
            events.stored(alternative);
            return alternative;
        }
        // Calls left waiting for approval: the conversation goes on once each is decided.
        Map<String, String> awaiting = new LinkedHashMap<>();
        for (ToolUse use : answered.uses()) {
            if (use.outcome() == ToolBox.Kind.AWAITING_APPROVAL) {
                use.proposal().ifPresent(proposal -> awaiting.put(proposal, use.name()));
            }
        }
        StoredMessage stored;
        try {
            stored = repository.insertReply(row, message.id(), awaiting, recordUse);
        } catch (RuntimeException e) {
            recordQuietly(recordUse, message); // rolled back with the reply: written alone, as before
            // Another worker answered the same message meanwhile: keep the first reply, as promised.
            return repository.replyTo(message.id()).orElseThrow(() -> e);
        }
        events.stored(stored);
        return stored;
    }

    /**
     * Goes on with the conversation a waiting tool call belongs to, once its proposal was decided:
     * appends {@code outcome} (what became of the call, in words for the model) as a {@code tool}
     * message and asks the model to continue, streaming the new reply to the conversation's watchers.
     * At most once per proposal, also across hosts and restarts.
     *
     * @param proposal the decided proposal
     * @param outcome what the model reads: the result of the call, or why it did not run
     * @param metadata kept on the tool message (e.g. the outcome's kind)
     * @return the continuation turn; empty when no conversation waits for this proposal
     * @throws DependencyException when the model fails (the tool message stays, marked failed)
     */
    public Optional<TurnResult> continueAfterToolCall(String proposal, String outcome, Map<String, Object> metadata) {
        inFlight.incrementAndGet();
        try {
            Optional<StoredMessage> appended =
                    repository.continueAfter(proposal, outcome, metadata, Ids.newId(clock), clock.instant());
            if (appended.isEmpty()) {
                return Optional.empty();
            }
            StoredMessage note = appended.get();
            events.stored(note);
            TokenSink watchers = text -> {
                events.token(note.conversation(), note.id(), text);
                return true; // written for the conversation, not for a client: finish it even if nobody watches
            };
            return Optional.of(runTurn(note, Optional.of(watchers), use -> {}));
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Returns the proposals that conversations still wait for (their calls not yet continued). */
    public List<String> awaitedToolCalls() {
        return repository.awaitedProposals();
    }

    /** Watches conversation {@code id}: every message stored and the tokens of replies nobody requested; close to stop. */
    AutoCloseable watch(String id, Consumer<ConversationEvents.Event> listener) {
        return events.subscribe(id, listener);
    }

    private Recollection recall(
            Personality personality,
            StoredMessage message,
            List<StoredMessage> history,
            int budget,
            String kind,
            long chatLength,
            long replies,
            int attempt) {
        List<String> recent = new ArrayList<>();
        for (int i = Math.max(0, history.size() - RECENT_FOR_RECALL); i < history.size(); i++) {
            recent.add(history.get(i).content());
        }
        List<String> window = history.stream().map(StoredMessage::content).toList();
        try {
            return recall.recall(new RecallRequest(
                    personality.id(),
                    message.user(),
                    message.conversation(),
                    message.content(),
                    recent,
                    personality.knowledge(),
                    budget,
                    kind,
                    chatLength,
                    replies,
                    attempt,
                    window));
        } catch (RuntimeException e) {
            LOG.warn(
                    "recall failed for conversation {}; answering without memories: {}",
                    message.conversation(),
                    e.toString());
            return Recollection.empty();
        }
    }

    /** Returns the user a conversation belongs to, or empty when there is no such conversation. */
    public Optional<String> ownerOf(String conversationId) {
        return repository.conversation(conversationId).map(ConversationRepository.Conversation::user);
    }

    /** Returns the user a stored message belongs to, or empty when there is no such message. */
    public Optional<String> ownerOfMessage(String messageId) {
        return repository.message(messageId).map(StoredMessage::user);
    }

    /**
     * Returns {@code user}'s conversations, most recently active first (at most {@code limit}), with
     * {@code personality} only when given. Titles are the first user message, cut at 120 characters.
     *
     * @throws InvalidInputException when {@code limit} is outside [1, 500]
     */
    public List<ConversationSummary> conversationsOf(String user, Optional<PersonalityId> personality, int limit) {
        if (limit < 1 || limit > 500) {
            throw new InvalidInputException("limit must be within [1, 500], got " + limit);
        }
        return repository.conversationsOf(user, personality, limit).stream()
                .map(c -> new ConversationSummary(
                        c.id(),
                        c.personality(),
                        c.user(),
                        c.platform(),
                        c.createdAt(),
                        c.updatedAt(),
                        c.title().length() > 120 ? c.title().substring(0, 119) + "…" : c.title(),
                        c.messages()))
                .toList();
    }

    /** Returns a conversation's identity. @throws NotFoundException when unknown */
    public ConversationInfo conversation(String id) {
        var found = repository.conversation(id).orElseThrow(() -> NotFoundException.of("conversation", id));
        return new ConversationInfo(found.id(), found.personality(), found.user(), found.platform(), found.createdAt());
    }

    /**
     * Returns up to {@code limit} messages of a conversation, oldest first, after the message
     * {@code after} (from the start when empty).
     *
     * @throws NotFoundException when the conversation or the {@code after} message is unknown
     * @throws InvalidInputException when {@code limit} is outside [1, 500]
     */
    public List<StoredMessage> messages(String conversationId, Optional<String> after, int limit) {
        if (limit < 1 || limit > 500) {
            throw new InvalidInputException("limit must be within [1, 500], got " + limit);
        }
        conversation(conversationId);
        long afterSeq = 0;
        if (after.isPresent()) {
            afterSeq = repository
                    .message(after.get())
                    .filter(m -> m.conversation().equals(conversationId))
                    .orElseThrow(() -> NotFoundException.of("message in this conversation", after.get()))
                    .seq();
        }
        return repository.page(conversationId, afterSeq, limit);
    }

    // ---- A person's data ----------------------------------------------------------------------

    /**
     * Returns everything stored of {@code user}'s conversations, on every platform: each conversation
     * with its summary and every message (alternatives included), oldest first. For {@code GET /v1/users/{id}/export}.
     */
    public List<Map<String, Object>> exportUser(String user) {
        List<Map<String, Object>> exported = new ArrayList<>();
        for (ConversationRepository.Conversation c : repository.conversationsOf(user)) {
            Map<String, Object> conversation = new LinkedHashMap<>();
            conversation.put("id", c.id());
            conversation.put("personality", c.personality().value());
            conversation.put("platform", c.platform());
            conversation.put("createdAt", c.createdAt());
            conversation.put("summary", c.summary());
            conversation.put("messages", repository.allMessages(c.id()));
            exported.add(conversation);
        }
        return exported;
    }

    /** Returns the ids of every message stored for {@code user} (their conversations' replies included). */
    public List<String> messageIdsOf(String user) {
        return repository.messageIdsOf(user);
    }

    /**
     * The outcome of {@link #eraseUser}. Immutable.
     *
     * @param conversations the ids of the erased conversations (their platform deliveries go too)
     * @param messages how many messages were erased
     */
    public record Erased(List<String> conversations, int messages) {}

    /**
     * Erases every conversation and message of {@code user}, in one transaction. A turn still running
     * for them may store its reply afterwards: erasing again removes it.
     */
    public Erased eraseUser(String user) {
        ConversationRepository.Erased erased = repository.eraseUser(user);
        return new Erased(erased.conversations(), erased.messages());
    }

    /** Returns a stored message by id. */
    public Optional<StoredMessage> message(String id) {
        return repository.message(id);
    }

    /**
     * Returns what feedback needs about a stored reply: personality, version, traits, length and the
     * user message it answered. Empty when {@code messageId} is not a stored reply.
     */
    public Optional<ReplyFacts> reply(String messageId) {
        return repository
                .message(messageId)
                .filter(StoredMessage::fromAssistant)
                .flatMap(reply -> reply.inReplyTo()
                        .flatMap(repository::message)
                        .map(question -> new ReplyFacts(
                                reply.id(),
                                reply.conversation(),
                                reply.user(),
                                reply.personality(),
                                reply.personalityVersion().orElse(1),
                                reply.traits(),
                                reply.content().length(),
                                reply.content(),
                                question.id(),
                                question.content(),
                                reply.createdAt())));
    }

    /** Puts a failed user message back to pending, before it is answered again (e.g. when the model is back). */
    public void reopen(String userMessageId) {
        repository.reopen(userMessageId);
    }

    /**
     * Marks {@code failed} the chat-API turns a crash left {@code pending} (their callers got no answer and
     * will not come back for one); called once at start, before the server listens. On H2 (one host)
     * every pending API turn is such a turn; on PostgreSQL only those older than
     * {@code chat.abandoned-after-seconds}, since another host may be answering younger ones. Platform
     * messages are not touched: the platform service answers them again. Returns how many were marked.
     */
    public int failAbandonedTurns() {
        Instant now = clock.instant();
        Instant cutoff =
                kind == Database.Kind.H2 ? now.plusSeconds(1) : now.minusSeconds(settings.abandonedAfterSeconds());
        int failed = repository.failPending(ChatRequest.API, cutoff);
        if (failed > 0) {
            LOG.warn(
                    "marked {} chat turn(s) failed that an earlier run left unanswered (the process ended during the turn)",
                    failed);
        }
        return failed;
    }

    /** Returns user messages from platforms still waiting for a reply (e.g. after a restart), oldest first. */
    public List<StoredMessage> pendingInbound(int limit) {
        return repository.pending(ChatRequest.API, limit);
    }

    /**
     * Tells {@code listener} the conversation and id of every message this host stored, as
     * {@code conversation/message} (other hosts relay them to their watchers).
     */
    public void onMessageStored(Consumer<String> listener) {
        events.onStored(message -> listener.accept(message.conversation() + "/" + message.id()));
    }

    /** Hands a message another host stored ({@code conversation/message}) to this host's watchers of its conversation. */
    public void relayStored(String conversationAndMessage) {
        int slash = conversationAndMessage.indexOf('/');
        if (slash < 0 || !events.watched(conversationAndMessage.substring(0, slash))) {
            return; // nobody here watches it: no need to read it
        }
        repository.message(conversationAndMessage.substring(slash + 1)).ifPresent(events::relay);
    }

    /** Returns how many turns are being answered right now. */
    public int turnsInFlight() {
        return inFlight.get();
    }

    private PersonalityVersion personality(String id) {
        PersonalityId personalityId = PersonalityId.of(id);
        return personalities.current(personalityId).orElseThrow(() -> NotFoundException.of("personality", id));
    }

    @SuppressWarnings("unchecked")
    private static List<String> recalledIds(StoredMessage reply, String kind) {
        Object recalled = reply.metadata().get("recalled");
        if (recalled instanceof Map<?, ?> map && map.get(kind) instanceof List<?> ids) {
            return (List<String>) ids;
        }
        return List.of();
    }
}
