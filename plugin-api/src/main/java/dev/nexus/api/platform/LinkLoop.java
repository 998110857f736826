package dev.nexus.api.platform;

import dev.nexus.api.Experimental;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The threads of a connector's standing link (a polling loop, a WebSocket's reader) and the one way
 * they stop: {@link #stop()} sets a flag and wakes every {@link #pause}, and the link closes whatever
 * I/O is in flight; then {@link #join} waits for the threads. Threads are <b>never interrupted</b>: a
 * link thread may be inside the plugin store, and an interrupt during a file write closes an embedded
 * H2 database for the whole host.
 *
 * <pre>{@code
 * LinkLoop loop = new LinkLoop();
 * loop.repeat("chat-link", () -> Optional.of(pollOnce()), e -> health.reconnecting(e.getMessage()));
 * ...
 * loop.stop();          // no new waits; sleeping threads wake
 * client.close();       // ends a long poll in flight
 * loop.join(Duration.ofSeconds(10));
 * }</pre>
 *
 * <p>Used with {@link LinkHealth}, whose backoff is the usual wait between attempts. Thread-safe.
 */
@Experimental
public final class LinkLoop {

    private final Object wakeup = new Object();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    /** Creates a running loop with no threads yet. */
    public LinkLoop() {}

    /** Returns true once {@link #stop()} was called; a link thread checks it between steps and ends. */
    public boolean stopped() {
        return stopped;
    }

    /**
     * Runs {@code body} on a new virtual thread named {@code name}; {@link #join} waits for it. The body
     * should return soon after {@link #stopped()} turns true.
     *
     * @return the thread, started
     */
    public Thread start(String name, Runnable body) {
        Objects.requireNonNull(body, "body");
        Thread thread = Thread.ofVirtual().name(name).unstarted(body);
        threads.add(thread);
        thread.start();
        return thread;
    }

    /**
     * Runs {@code step} again and again on a new virtual thread until the loop stops, pausing between
     * steps for as long as the step returned; a step that returns empty ends the thread (its work is
     * done, e.g. a webhook registered). A {@link RuntimeException} from a step ends the thread if the
     * loop was stopped meanwhile (closing the I/O in flight often throws), and otherwise is handed to
     * {@code onFailure}, which reports it and returns the wait before the next step (typically
     * {@link LinkHealth#reconnecting}).
     *
     * @return the thread, started
     */
    public Thread repeat(
            String name, Supplier<Optional<Duration>> step, Function<RuntimeException, Duration> onFailure) {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(onFailure, "onFailure");
        return start(name, () -> {
            while (!stopped) {
                Duration wait;
                try {
                    Optional<Duration> next = step.get();
                    if (next.isEmpty()) {
                        return;
                    }
                    wait = next.get();
                } catch (RuntimeException e) {
                    if (stopped) {
                        return;
                    }
                    wait = onFailure.apply(e);
                }
                pause(wait);
            }
        });
    }

    /**
     * Waits for {@code wait}, or less when the loop stops meanwhile (at once when it already has). An
     * interrupt ends the wait early and stays set on the thread. Any thread may pause, several at once.
     *
     * @return true when the loop is still running afterwards
     */
    public boolean pause(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (wakeup) {
            long left;
            while (!stopped && (left = deadline - System.nanoTime()) > 0) {
                try {
                    wakeup.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return !stopped;
    }

    /** Stops the loop: {@link #stopped()} turns true and every {@link #pause} returns. Idempotent; never blocks. */
    public void stop() {
        synchronized (wakeup) {
            stopped = true;
            wakeup.notifyAll();
        }
    }

    /**
     * Waits up to {@code timeout} for each thread started here to end (call after {@link #stop()} and after
     * closing the I/O a thread may be blocked in). An interrupt of the caller ends the wait and stays set.
     */
    public void join(Duration timeout) {
        for (Thread thread : threads) {
            try {
                thread.join(timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
