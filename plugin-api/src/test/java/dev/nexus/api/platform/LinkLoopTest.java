package dev.nexus.api.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LinkLoopTest {

    /** Only guards against a hang: the behaviour under test ends the threads long before. */
    private static final Duration HANG = Duration.ofMinutes(1);

    @Test
    void stop_wakesEveryPausingThread_withoutInterruptingIt() throws Exception {
        LinkLoop loop = new LinkLoop();
        CountDownLatch pausing = new CountDownLatch(2);
        List<Boolean> runningAfterPause = new CopyOnWriteArrayList<>();
        List<Boolean> interrupted = new CopyOnWriteArrayList<>();
        for (String name : List.of("a", "b")) {
            loop.start(name, () -> {
                pausing.countDown();
                runningAfterPause.add(loop.pause(Duration.ofDays(1)));
                interrupted.add(Thread.currentThread().isInterrupted());
            });
        }
        pausing.await();

        loop.stop();
        loop.join(HANG);

        assertThat(runningAfterPause).containsExactly(false, false);
        assertThat(interrupted).containsExactly(false, false);
        assertThat(loop.stopped()).isTrue();
    }

    @Test
    void pause_afterStop_returnsAtOnce_andStopIsIdempotent() {
        LinkLoop loop = new LinkLoop();
        loop.stop();
        loop.stop();

        assertThat(loop.pause(Duration.ofDays(1))).isFalse();
    }

    @Test
    void pause_whileRunning_waitsAndSaysSo() {
        LinkLoop loop = new LinkLoop();

        assertThat(loop.pause(Duration.ofMillis(1))).isTrue();
        assertThat(loop.pause(Duration.ZERO)).isTrue();
    }

    @Test
    void repeat_runsStepsUntilOneSaysItIsDone() throws Exception {
        LinkLoop loop = new LinkLoop();
        AtomicInteger steps = new AtomicInteger();

        Thread thread = loop.repeat(
                "steps",
                () -> steps.incrementAndGet() < 3 ? Optional.of(Duration.ZERO) : Optional.empty(),
                e -> Duration.ZERO);
        thread.join(HANG);

        assertThat(thread.isAlive()).isFalse();
        assertThat(steps).hasValue(3);
        assertThat(loop.stopped()).isFalse();
    }

    @Test
    void repeat_handsAFailureToOnFailure_andGoesOn() throws Exception {
        LinkLoop loop = new LinkLoop();
        AtomicInteger steps = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();

        Thread thread = loop.repeat(
                "failing",
                () -> {
                    if (steps.incrementAndGet() == 1) {
                        throw new IllegalStateException("connection reset");
                    }
                    return Optional.empty();
                },
                e -> {
                    failures.add(e.getMessage());
                    return Duration.ZERO;
                });
        thread.join(HANG);

        assertThat(failures).containsExactly("connection reset");
        assertThat(steps).hasValue(2);
    }

    @Test
    void repeat_aStepThatFailsBecauseTheLoopStopped_endsTheThreadQuietly() throws Exception {
        LinkLoop loop = new LinkLoop();
        CountDownLatch inStep = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        AtomicBoolean reported = new AtomicBoolean();

        Thread thread = loop.repeat(
                "closing",
                () -> {
                    inStep.countDown();
                    try {
                        closed.await(); // a blocking read, ended by closing its connection
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IllegalStateException("socket closed");
                },
                e -> {
                    reported.set(true);
                    return Duration.ZERO;
                });
        inStep.await();
        loop.stop();
        closed.countDown();
        loop.join(HANG);

        assertThat(thread.isAlive()).isFalse();
        assertThat(reported).isFalse();
    }

    @Test
    void repeat_pausesAsLongAsTheStepAsks_untilStopped() throws Exception {
        LinkLoop loop = new LinkLoop();
        CountDownLatch firstStep = new CountDownLatch(1);
        AtomicInteger steps = new AtomicInteger();

        loop.repeat(
                "slow",
                () -> {
                    steps.incrementAndGet();
                    firstStep.countDown();
                    return Optional.of(Duration.ofDays(1));
                },
                e -> Duration.ZERO);
        firstStep.await();
        loop.stop();
        loop.join(HANG);

        assertThat(steps).hasValue(1);
    }
}
