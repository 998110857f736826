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

/**
 * An {@link InboundSink} that stores messages and reactions in memory the way the host does: each
 * (platform, externalId) once, a redelivery answered as a duplicate with the first id. It can be told
 * to reject every message and reaction or to fail as if the host's storage were down. It does not
 * judge reactions (ratings, critiques, replies) as the host does. Thread-safe.
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

    @Override
    public synchronized InboundResult deliver(InboundMessage message) {
        calls++;
        if (failure != null) {
            throw failure;
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
        if (failure != null) {
            throw failure;
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
        this.rejection = reason;
        this.failure = null;
    }

    /** From now on, throws {@code exception} from every delivery and reaction, like a host whose storage is down. */
    public synchronized void failWith(RuntimeException exception) {
        this.failure = exception;
        this.rejection = null;
    }

    /** Goes back to accepting messages. */
    public synchronized void acceptAll() {
        this.rejection = null;
        this.failure = null;
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
                throw new AssertionError("expected " + count + " inbound messages within " + timeout + ", got "
                        + stored.size());
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return List.copyOf(stored);
    }
}
