package dev.nexus.api.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link InboundSink} does, run against the host's real sink and against the test double
 * ({@code RecordingInboundSink}) so the two cannot drift: a new message is accepted once and a
 * redelivery is a duplicate with the first id; bad input and a storage outage come back as values,
 * never as exceptions; an outage is {@link InboundResult.RetryLater} with nothing stored, and the same
 * message is accepted (as new) once storage is back.
 *
 * <p>Every fixture is abstract: an implementation cannot pass by leaving one out.
 */
public abstract class InboundSinkContract {

    private InboundSink sink;

    /** Returns a fresh sink that accepts the messages {@link #message} makes. */
    protected abstract InboundSink newSink();

    /** Returns a message the sink accepts, with {@code externalId}. */
    protected abstract InboundMessage message(String externalId);

    /** Makes the sink's storage unavailable, as a database outage does. */
    protected abstract void storageDown();

    /** Ends the outage {@link #storageDown} began. */
    protected abstract void storageUp();

    /** Returns the platform {@link #message} uses, for reactions. */
    protected String platform() {
        return message("probe").platform();
    }

    @BeforeEach
    final void createSink() {
        sink = newSink();
    }

    /** Returns the sink under test. */
    protected final InboundSink sink() {
        return sink;
    }

    @Test
    void deliver_aNewMessage_isAcceptedAndNotADuplicate() {
        InboundResult result = sink.deliver(message("contract-1"));

        assertThat(result).isInstanceOfSatisfying(InboundResult.Accepted.class, accepted -> {
            assertThat(accepted.messageId()).isNotBlank();
            assertThat(accepted.duplicate()).isFalse();
        });
    }

    @Test
    void deliver_theSameExternalIdAgain_isADuplicateWithTheFirstId() {
        InboundResult first = sink.deliver(message("contract-2"));
        InboundResult again = sink.deliver(message("contract-2"));

        assertThat(first).isInstanceOf(InboundResult.Accepted.class);
        assertThat(again).isEqualTo(new InboundResult.Accepted(((InboundResult.Accepted) first).messageId(), true));
    }

    @Test
    void deliver_null_isRejectedWithAReason_notThrown() {
        AtomicReference<InboundResult> result = new AtomicReference<>();

        assertThatCode(() -> result.set(sink.deliver(null))).doesNotThrowAnyException();

        assertThat(result.get())
                .isInstanceOfSatisfying(
                        InboundResult.Rejected.class,
                        rejected -> assertThat(rejected.reason()).isNotBlank());
    }

    @Test
    void deliver_whileStorageIsDown_isRetryLater_andTheSameMessageIsAcceptedAsNewAfterRecovery() {
        storageDown();
        AtomicReference<InboundResult> during = new AtomicReference<>();
        try {
            assertThatCode(() -> during.set(sink.deliver(message("contract-3"))))
                    .as("a sink whose storage is down answers RetryLater; it does not throw")
                    .doesNotThrowAnyException();
        } finally {
            storageUp();
        }
        InboundResult after = retryWhileToldTo(message("contract-3"));

        assertThat(during.get()).isInstanceOfSatisfying(InboundResult.RetryLater.class, later -> {
            assertThat(later.reason()).isNotBlank().doesNotContain("Exception");
            assertThat(later.after().isNegative()).isFalse();
        });
        assertThat(after)
                .as("nothing was stored during the outage, so the retry is new")
                .isInstanceOfSatisfying(
                        InboundResult.Accepted.class,
                        accepted -> assertThat(accepted.duplicate()).isFalse());
    }

    /**
     * Delivers {@code message} again while the sink answers {@code RetryLater}, as a sender does (at
     * most 60 seconds): a real storage needs a moment to replace the connections an outage ended.
     */
    private InboundResult retryWhileToldTo(InboundMessage message) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        InboundResult result = sink.deliver(message);
        while (result instanceof InboundResult.RetryLater && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while retrying", e);
            }
            result = sink.deliver(message);
        }
        return result;
    }

    @Test
    void react_whileStorageIsDown_isRetryLater_notThrown() {
        InboundReaction reaction = new InboundReaction(
                platform(),
                "contract-reaction-1",
                "contract-user",
                "reply-1",
                Optional.of(InboundReaction.Thumbs.UP),
                OptionalInt.empty(),
                List.of(),
                Instant.parse("2026-01-01T00:00:00Z"));
        storageDown();
        AtomicReference<ReactionResult> during = new AtomicReference<>();
        try {
            assertThatCode(() -> during.set(sink.react(reaction))).doesNotThrowAnyException();
        } finally {
            storageUp();
        }

        assertThat(during.get())
                .isInstanceOfSatisfying(
                        ReactionResult.RetryLater.class,
                        later -> assertThat(later.reason()).isNotBlank().doesNotContain("Exception"));
    }

    @Test
    void react_null_isRejectedWithAReason_notThrown() {
        AtomicReference<ReactionResult> result = new AtomicReference<>();

        assertThatCode(() -> result.set(sink.react(null))).doesNotThrowAnyException();

        assertThat(result.get())
                .isInstanceOfSatisfying(
                        ReactionResult.Rejected.class,
                        rejected -> assertThat(rejected.reason()).isNotBlank());
    }
}
