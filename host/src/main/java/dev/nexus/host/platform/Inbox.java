package dev.nexus.host.platform;

import dev.nexus.api.platform.InboundMessage;
import dev.nexus.api.platform.InboundReaction;
import dev.nexus.api.platform.InboundResult;
import dev.nexus.api.platform.InboundSink;
import dev.nexus.api.platform.ReactionResult;
import dev.nexus.host.DependencyException;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NexusException;
import dev.nexus.host.conversation.ChatRequest;
import dev.nexus.host.conversation.ConversationService;
import dev.nexus.host.conversation.StoredMessage;
import dev.nexus.host.conversation.TurnResult;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's {@link InboundSink}: stores a platform message (once per platform and external id)
 * before it returns, then answers it in the background and queues the reply for delivery. A reply
 * the model cannot produce right now is retried with backoff. A reaction to a reply this platform
 * delivered is recorded as feedback through {@link ReactionFeedback}, once per platform and reaction
 * id. Thread-safe.
 */
final class Inbox implements InboundSink {

    private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);

    private static final int MAX_REACTION_ID = 200;

    /** The longest thread key: its owner, {@code thread:<platform>:<key>}, must fit a 200-character user id. */
    private static final int MAX_THREAD = 150;

    /** What the host tells a sender to wait when its storage is down: a storage outage is rarely shorter. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final ConversationService conversations;
    private final ReactionFeedback feedback;
    private final OutboxRepository outbox;
    private final Predicate<String> running;
    private final Consumer<String> wake;
    private final PlatformSettings settings;
    private final Clock clock;
    private final Executor workers;
    private final ScheduledExecutorService timer;
    private final IdentityResolver identities;
    private final PresenceSettings presence;

    Inbox(
            ConversationService conversations,
            ReactionFeedback feedback,
            OutboxRepository outbox,
            Predicate<String> running,
            Consumer<String> wake,
            PlatformSettings settings,
            Clock clock,
            Executor workers,
            ScheduledExecutorService timer,
            IdentityResolver identities,
            PresenceSettings presence) {
        this.identities = identities;
        this.presence = presence;
        this.conversations = conversations;
        this.feedback = feedback;
        this.outbox = outbox;
        this.running = running;
        this.wake = wake;
        this.settings = settings;
        this.clock = clock;
        this.workers = workers;
        this.timer = timer;
    }

    @Override
    public InboundResult deliver(InboundMessage message) {
        if (message == null) {
            return new InboundResult.Rejected("no message");
        }
        if (!running.test(message.platform())) {
            // The plugin's own port has checked that it declares this platform, so its connector is starting
            // (a poller can deliver before start-up has registered it), stopping or disabled: a refusal here would
            // make the connector drop the message (Telegram would move its offset past it), so it is told to retry.
            return new InboundResult.RetryLater(RETRY_AFTER, notRunning(message.platform()));
        }
        if (message.thread().isPresent()
                && (message.thread().get().length() > MAX_THREAD
                        || message.thread().get().chars().anyMatch(Character::isISOControl))) {
            return new InboundResult.Rejected("a thread key must be 1-" + MAX_THREAD
                    + " characters without control characters; hash longer platform ids");
        }
        ConversationService.Accepted accepted;
        try {
            // The message acts as the user its identity is linked to, or as the identity itself (issue 11).
            String user = identities.principalOf(message.platform(), message.user());
            accepted = conversations.accept(new ChatRequest(
                    message.personality(),
                    user,
                    message.conversation(),
                    message.text(),
                    message.platform(),
                    Optional.of(message.externalId()),
                    message.replyTo(),
                    message.thread(),
                    speaker(message)));
        } catch (DependencyException e) {
            LOG.warn("cannot store a {} message: {}", message.platform(), e.getMessage());
            return new InboundResult.RetryLater(
                    RETRY_AFTER, "the host cannot store messages right now; try again later");
        } catch (NexusException e) {
            return new InboundResult.Rejected(e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("cannot store a {} message", message.platform(), e);
            return new InboundResult.RetryLater(
                    RETRY_AFTER, "the host cannot store messages right now; try again later");
        }
        StoredMessage stored = accepted.message();
        if (!accepted.duplicate()) {
            try {
                open(stored);
                workers.execute(() -> answer(stored.id(), stored.platform()));
            } catch (RuntimeException e) {
                // Stored but not yet queued: recovery at the next start answers every pending message.
                LOG.warn(
                        "message {} is stored but could not be queued now; it will be answered after a restart",
                        stored.id(),
                        e);
            }
        }
        return new InboundResult.Accepted(stored.id(), accepted.duplicate());
    }

    /**
     * Who wrote a group chat's message, for the prompt to show each turn with its sender (issue 16):
     * the sender's platform id, which is also their identity. Empty in a direct conversation (one
     * person). The sender acts as their own user (issue 11), so memory treats it as the user's own turn.
     */
    static Optional<dev.nexus.host.conversation.Speaker> speaker(InboundMessage message) {
        if (message.thread().isEmpty()) {
            return Optional.empty();
        }
        String name = message.user().strip().replaceAll("\\p{Cntrl}", "");
        if (name.length() > dev.nexus.host.conversation.Speaker.MAX_NAME) {
            name = name.substring(0, dev.nexus.host.conversation.Speaker.MAX_NAME);
        }
        String id = message.platform() + ":" + message.user();
        return name.isEmpty()
                ? Optional.empty()
                : Optional.of(new dev.nexus.host.conversation.Speaker(
                        name,
                        id.length() <= dev.nexus.host.conversation.Speaker.MAX_ID
                                        && id.chars().noneMatch(Character::isISOControl)
                                ? Optional.of(id)
                                : Optional.empty()));
    }

    private static String notRunning(String platform) {
        return "the '" + InvalidInputException.cap(platform) + "' connector is not running on this host right now "
                + "(starting, stopping or disabled); try again later";
    }

    /**
     * Records a reaction as feedback on the reply it names, which must be a reply this host queued for
     * the same platform (by the host's reply id or the platform's delivered id): a connector cannot
     * rate replies given elsewhere.
     */
    @Override
    public ReactionResult react(InboundReaction reaction) {
        if (reaction == null) {
            return new ReactionResult.Rejected("no reaction");
        }
        String platform = reaction.platform();
        if (!running.test(platform)) {
            return new ReactionResult.RetryLater(RETRY_AFTER, notRunning(platform));
        }
        if (reaction.externalId().length() > MAX_REACTION_ID) {
            return new ReactionResult.Rejected("a reaction id must be at most " + MAX_REACTION_ID + " characters, got "
                    + reaction.externalId().length());
        }
        if (reaction.thumbs().isPresent() && reaction.rating().isPresent()) {
            return new ReactionResult.Rejected(
                    "a reaction gives thumbs or a rating of 1-5, not both; send one of them");
        }
        Optional<String> rating = reaction.thumbs()
                .map(t -> t == InboundReaction.Thumbs.UP ? "up" : "down")
                .or(() -> reaction.rating().isPresent()
                        ? Optional.of(Integer.toString(reaction.rating().getAsInt()))
                        : Optional.empty());
        try {
            Optional<String> replyId = outbox.replyId(platform, reaction.reply());
            if (replyId.isEmpty()) {
                return new ReactionResult.Rejected("no reply '" + InvalidInputException.cap(reaction.reply())
                        + "' was sent on platform '" + platform
                        + "'; react with the messageId of a reply this host sent"
                        + " (or the platform's id of the delivered message)");
            }
            ReactionFeedback.Recorded recorded = feedback.record(new ReactionFeedback.Reaction(
                    platform + ":" + reaction.externalId(),
                    platform + ":" + reaction.user(),
                    replyId.get(),
                    rating,
                    reaction.critiques()));
            return new ReactionResult.Accepted(recorded.feedbackId(), recorded.duplicate());
        } catch (DependencyException e) {
            LOG.warn("cannot record a {} reaction: {}", platform, e.getMessage());
            return new ReactionResult.RetryLater(
                    RETRY_AFTER, "the host cannot record reactions right now; try again later");
        } catch (NexusException e) {
            return new ReactionResult.Rejected(e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("cannot record a {} reaction", platform, e);
            return new ReactionResult.RetryLater(
                    RETRY_AFTER, "the host cannot record reactions right now; try again later");
        }
    }

    /** Makes sure a stored inbound message has its outbox row. */
    void open(StoredMessage stored) {
        outbox.open(
                stored.id(),
                stored.platform(),
                stored.externalId().orElse(stored.id()),
                stored.conversation(),
                stored.personality().value(),
                replyTo(stored),
                clock.instant());
    }

    /** Produces the reply to a stored inbound message and queues it; retries while the model is unavailable. */
    void answer(String inboundId, String platform) {
        try {
            TurnResult turn = conversations.answer(inboundId, Optional.empty());
            Timing.Due due = due(
                    platform,
                    turn.reply().personality().value(),
                    turn.reply().id(),
                    turn.reply().content(),
                    true);
            if (outbox.answered(
                    inboundId, turn.reply().id(), turn.reply().content(), due.at(), String.join("; ", due.reasons()))) {
                wake.accept(platform);
            }
        } catch (DependencyException e) {
            int attempts = outbox.answerFailed(inboundId, e.getMessage());
            if (e.retriable() && attempts < settings.answerAttempts()) {
                conversations.reopen(inboundId);
                long delay = settings.backoff(attempts).toMillis();
                LOG.info(
                        "answering {} message {} failed (attempt {}), retrying in {} ms: {}",
                        platform,
                        inboundId,
                        attempts,
                        delay,
                        e.getMessage());
                timer.schedule(() -> workers.execute(() -> answer(inboundId, platform)), delay, TimeUnit.MILLISECONDS);
            } else {
                LOG.warn(
                        "giving up on answering {} message {} after {} attempts: {}",
                        platform,
                        inboundId,
                        attempts,
                        e.getMessage());
                outbox.failed(inboundId, e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot answer {} message {}", platform, inboundId, e);
            outbox.failed(inboundId, String.valueOf(e.getMessage()));
        }
    }

    /**
     * When a message of {@code personality} goes out on {@code platform}: its natural timing, given the
     * personality's other messages there within the last week (they count against its rate limit).
     */
    Timing.Due due(String platform, String personality, String messageId, String content, boolean typed) {
        Timing timing = presence.timing(personality);
        java.time.Instant now = clock.instant();
        java.util.List<java.time.Instant> others = timing.limits().isEmpty()
                ? java.util.List.of()
                : outbox.sendTimes(platform, personality, now.minus(Duration.ofDays(7)));
        return timing.due(platform, messageId, content.length(), typed, now, others);
    }

    @SuppressWarnings("unchecked")
    private static java.util.Map<String, String> replyTo(StoredMessage stored) {
        Object value = stored.metadata().get("replyTo");
        java.util.Map<String, String> replyTo = new java.util.LinkedHashMap<>();
        if (value instanceof java.util.Map<?, ?> map) {
            map.forEach((key, v) -> replyTo.put(String.valueOf(key), String.valueOf(v)));
        }
        return replyTo;
    }
}
