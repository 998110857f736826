package dev.nexus.api.testing;

import dev.nexus.api.platform.InboundMessage;
import dev.nexus.api.platform.InboundReaction;
import dev.nexus.api.platform.InboundResult;
import dev.nexus.api.platform.InboundSink;
import dev.nexus.api.platform.ReactionResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An {@link InboundSink} that stores messages and reactions in memory the way the host does: each
 * (platform, externalId) once, a redelivery answered as a duplicate with the first id, {@code null}
 * rejected. It can be told to reject every message and reaction, to answer
 * {@link InboundResult.RetryLater} as the host does while its storage is down ({@link #failWith}), or
 * to throw, as a broken sink would ({@link #throwWith}). It does not judge reactions (ratings,
 * critiques, replies) as the host does. It passes the same {@code InboundSinkContract} as the host's
 * sink. Thread-safe.
 */
public final class RecordingInboundSink implements InboundSink {

    private final List<InboundMessage> stored = new ArrayList<>();
    private final Map<String, String> idsByExternalId = new HashMap<>();
    private final List<InboundReaction> reactions = new ArrayList<>();
    private final Map<String, String> feedbackByExternalId = new HashMap<>();
    private int calls;
    private int reactionCalls;
    private String rejection;
    private RuntimeException failure;
    private RuntimeException thrown;

    /** What the host answers while its storage is down, word for word. */
    static final String STORAGE_DOWN = "the host cannot store messages right now; try again later";

    static final String REACTIONS_DOWN = "the host cannot record reactions right now; try again later";
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    @Override
    public synchronized InboundResult deliver(InboundMessage message) {
        calls++;
        if (thrown != null) {
            throw thrown;
        }
        if (message == null) {
            return new InboundResult.Rejected("no message");
        }
        if (failure != null) {
            return new InboundResult.RetryLater(RETRY_AFTER, STORAGE_DOWN);
        }
        if (rejection != null) {
            return new InboundResult.Rejected(rejection);
        }
        String key = message.platform() + '\u0000' + message.externalId();
        String known = idsByExternalId.get(key);
        if (known != null) {
            return new InboundResult.Accepted(known, true);
        }
        String id = "msg-" + (stored.size() + 1);
        idsByExternalId.put(key, id);
        stored.add(message);
        notifyAll();
        return new InboundResult.Accepted(id, false);
    }

    /** Records a reaction once per (platform, externalId), answering a redelivery as a duplicate. */
    @Override
    public synchronized ReactionResult react(InboundReaction reaction) {
        reactionCalls++;
        if (thrown != null) {
            throw thrown;
        }
        if (reaction == null) {
            return new ReactionResult.Rejected("no reaction");
        }
        if (failure != null) {
            return new ReactionResult.RetryLater(RETRY_AFTER, REACTIONS_DOWN);
        }
        if (rejection != null) {
            return new ReactionResult.Rejected(rejection);
        }
        String key = reaction.platform() + '\u0000' + reaction.externalId();
        String known = feedbackByExternalId.get(key);
        if (known != null) {
            return new ReactionResult.Accepted(known, true);
        }
        String id = "feedback-" + (reactions.size() + 1);
        feedbackByExternalId.put(key, id);
        reactions.add(reaction);
        return new ReactionResult.Accepted(id, false);
    }

    /** Returns the recorded (non-duplicate) reactions in arrival order. */
    public synchronized List<InboundReaction> reactions() {
        return List.copyOf(reactions);
    }

    /** Returns how many times {@link #react} was called, duplicates and rejections included. */
    public synchronized int reactionCalls() {
        return reactionCalls;
    }

    /** Returns the stored (non-duplicate) messages in arrival order. */
    public synchronized List<InboundMessage> messages() {
        return List.copyOf(stored);
    }

    /** Returns how many times {@link #deliver} was called, duplicates and rejections included. */
    public synchronized int calls() {
        return calls;
    }

    /** From now on, rejects every message and reaction with {@code reason} and stores nothing. */
    public synchronized void rejectWith(String reason) {
        acceptAll();
        this.rejection = reason;
    }

    /**
     * From now on, behaves like a host whose storage fails with {@code cause}: like the host, it does
     * not throw the failure but answers every delivery and reaction with {@code RetryLater} (the host's
     * reason, 5 seconds) and stores nothing, until {@link #acceptAll()}.
     */
    public synchronized void failWith(RuntimeException cause) {
        acceptAll();
        this.failure = Objects.requireNonNull(cause, "cause");
    }

    /**
     * From now on, throws {@code exception} from every delivery and reaction: a sink that breaks the
     * {@link InboundSink} contract (the host never does), to check a connector survives it.
     */
    public synchronized void throwWith(RuntimeException exception) {
        acceptAll();
        this.thrown = Objects.requireNonNull(exception, "exception");
    }

    /** Goes back to accepting messages. */
    public synchronized void acceptAll() {
        this.rejection = null;
        this.failure = null;
        this.thrown = null;
    }

    /**
     * Waits until at least {@code count} messages are stored, for connectors that deliver from their
     * own threads.
     *
     * @return the stored messages
     * @throws AssertionError when fewer arrived before {@code timeout}
     */
    public synchronized List<InboundMessage> awaitMessages(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (stored.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(
                        "expected " + count + " inbound messages within " + timeout + ", got " + stored.size());
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return List.copyOf(stored);
    }
}
