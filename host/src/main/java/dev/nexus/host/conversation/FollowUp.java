package dev.nexus.host.conversation;

import dev.nexus.host.persona.PersonalityVersion;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work after a stored turn, on the background executor: the {@link TurnObserver}s (each isolated:
 * one that throws is logged and the others still run) and the upkeep of the conversation's summary.
 * Thread-safe.
 */
final class FollowUp {

    private static final Logger LOG = LoggerFactory.getLogger(FollowUp.class);

    private final ConversationRepository repository;
    private final List<TurnObserver> observers;
    private final Summarizer summarizer;
    private final ChatSettings settings;
    private final int promptBudget;
    private final Executor background;

    FollowUp(
            ConversationRepository repository,
            List<TurnObserver> observers,
            Summarizer summarizer,
            ChatSettings settings,
            int promptBudget,
            Executor background) {
        this.repository = repository;
        this.observers = List.copyOf(observers);
        this.summarizer = summarizer;
        this.settings = settings;
        this.promptBudget = promptBudget;
        this.background = background;
    }

    /** Schedules the observers, and the summary upkeep when the history says it is due. */
    void after(TurnResult result, PersonalityVersion version, boolean summarise) {
        // A tool call's outcome is not something the user said: observers (fact extraction) skip it.
        boolean observe = !observers.isEmpty()
                && !StoredMessage.TOOL.equals(result.userMessage().role());
        if (!observe && !summarise) {
            return;
        }
        CompletedTurn turn = new CompletedTurn(
                result.reply().conversation(),
                result.userMessage().platform(),
                result.userMessage().user(),
                version.id(),
                version.version(),
                result.userMessage().id(),
                result.userMessage().content(),
                result.reply().id(),
                result.reply().content(),
                result.reply().traits(),
                result.reply().createdAt(),
                result.userMessage().otherSpeaker());
        try {
            background.execute(() -> {
                for (TurnObserver observer : observe ? observers : List.<TurnObserver>of()) {
                    try {
                        observer.afterTurn(turn);
                    } catch (RuntimeException e) {
                        LOG.warn(
                                "turn observer {} failed on reply {}",
                                observer.getClass().getName(),
                                turn.replyId(),
                                e);
                    }
                }
                if (summarise) {
                    keepSummary(turn.conversation());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("background work after reply {} skipped: the host is stopping", turn.replyId());
        }
    }

    /** Folds messages that have left the window into the summary, once a batch of them has gathered. */
    void keepSummary(String conversationId) {
        try {
            var conversation = repository.conversation(conversationId).orElseThrow();
            int outstanding = repository.count(conversationId, conversation.summaryThrough(), Long.MAX_VALUE);
            int fold = outstanding - settings.windowMessages();
            if (fold < settings.summaryBatch()) {
                return;
            }
            List<StoredMessage> older = repository.page(conversationId, conversation.summaryThrough(), fold);
            String summary = summarizer.summarize(conversation.summary(), older, Math.max(64, promptBudget / 8));
            repository.advanceSummary(
                    conversationId,
                    conversation.summaryThrough(),
                    older.get(older.size() - 1).seq(),
                    summary);
        } catch (RuntimeException e) {
            LOG.warn(
                    "summarising conversation {} failed; will try after the next turn: {}",
                    conversationId,
                    e.toString());
        }
    }
}
