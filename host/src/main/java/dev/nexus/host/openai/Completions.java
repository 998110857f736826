package dev.nexus.host.openai;

import dev.nexus.host.NotFoundException;
import dev.nexus.host.conversation.ChatRequest;
import dev.nexus.host.conversation.ConversationService;
import dev.nexus.host.conversation.StoredMessage;
import dev.nexus.host.conversation.ToolUse;
import dev.nexus.host.conversation.TurnResult;
import dev.nexus.host.db.Database;
import dev.nexus.host.llm.TokenSink;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.PersonalityLookup;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs OpenAI-compatible chat completions as real Nexus turns. A stateless client sends its whole
 * history every time; this finds the Nexus conversation that holds it and stores only the new user
 * message (see docs/openai.md):
 * <ol>
 *   <li>an explicit conversation id ({@code X-Nexus-Conversation}) continues that conversation;</li>
 *   <li>otherwise the fingerprint of the history before the last message (with the personality and
 *       user) names the conversation whose latest message ends that history; a history Nexus does not
 *       know, or one that branched off (edited by the client), starts a new conversation;</li>
 *   <li>a request whose whole history was seen before (a client retrying) is answered from the stored
 *       turn: the user message is not stored again.</li>
 * </ol>
 * Thread-safe.
 */
final class Completions {

    /** A user message accepted for answering: its id and conversation. */
    record Started(String userMessage, String conversation) {}

    private final ConversationService conversations;
    private final PersonalityLookup personalities;
    private final ThreadRepository threads;
    private final Clock clock;

    Completions(ConversationService conversations, PersonalityLookup personalities, Database database, Clock clock) {
        this.conversations = conversations;
        this.personalities = personalities;
        this.threads = new ThreadRepository(database);
        this.clock = clock;
    }

    /**
     * Validates the request and stores its last message (or finds it, for a retry). Nothing is stored
     * when the model, the user or the message is invalid.
     */
    Started start(CompletionRequest request, String user, Optional<String> conversationHeader) {
        PersonalityId id;
        try {
            id = PersonalityId.of(request.model());
        } catch (RuntimeException invalid) {
            throw new ModelNotFound(request.model());
        }
        if (personalities.current(id).isEmpty()) {
            throw new ModelNotFound(request.model());
        }
        String full = Fingerprint.of(request.model(), user, request.withMessage());
        Optional<String> conversation = conversationHeader;
        if (conversation.isEmpty() && !request.history().isEmpty()) {
            Optional<ThreadRepository.Thread> retried = threads.find(full);
            if (retried.isPresent() && retried.get().message().isPresent()) {
                String message = retried.get().message().get();
                conversations
                        .message(message)
                        .filter(m -> "failed".equals(m.state()))
                        .ifPresent(failed -> conversations.reopen(failed.id()));
                return new Started(message, retried.get().conversation());
            }
            conversation = threads.find(Fingerprint.of(request.model(), user, request.history()))
                    .filter(this::isLatest)
                    .map(ThreadRepository.Thread::conversation);
        }
        var accepted = conversations.accept(ChatRequest.api(request.model(), user, conversation, request.message()));
        StoredMessage stored = accepted.message();
        if (!request.history().isEmpty() || conversationHeader.isPresent()) {
            threads.remember(full, stored.conversation(), Optional.of(stored.id()), clock.instant());
        }
        return new Started(stored.id(), stored.conversation());
    }

    /** Answers a started message, streaming into {@code sink} when present, and remembers the history with the reply. */
    TurnResult answer(
            CompletionRequest request,
            String user,
            Started started,
            Optional<TokenSink> sink,
            Consumer<ToolUse> tools) {
        TurnResult turn = conversations.answer(started.userMessage(), sink, tools);
        List<CompletionRequest.Turn> after = new java.util.ArrayList<>(request.withMessage());
        after.add(new CompletionRequest.Turn("assistant", turn.reply().content()));
        threads.remember(
                Fingerprint.of(request.model(), user, after),
                turn.reply().conversation(),
                Optional.of(turn.reply().id()),
                clock.instant());
        return turn;
    }

    /** Returns a stored message that {@link #start} returned. */
    StoredMessage message(String id) {
        return conversations.message(id).orElseThrow(() -> NotFoundException.of("message", id));
    }

    /** True when the thread's last message is still the conversation's latest: the client did not branch off. */
    private boolean isLatest(ThreadRepository.Thread thread) {
        if (thread.message().isEmpty()) {
            return false;
        }
        try {
            return conversations
                    .messages(thread.conversation(), thread.message(), 1)
                    .isEmpty();
        } catch (NotFoundException gone) {
            return false;
        }
    }
}
