package dev.nexus.api;

import java.time.Duration;

/**
 * Runs a plugin's own background work on host-managed threads. Every task is cancelled when the
 * plugin stops; a task that throws is logged with the plugin id and, for periodic tasks, runs again
 * at its next period. Thread-safe.
 */
public interface PluginScheduler {

    /** A scheduled task; {@link #cancel()} stops future runs and is idempotent. */
    interface Task {
        /** Stops future runs of this task; a run in progress finishes. */
        void cancel();
    }

    /** Runs {@code work} once after {@code delay}. */
    Task schedule(Duration delay, Runnable work);

    /** Runs {@code work} every {@code period}, first after one period. */
    Task every(Duration period, Runnable work);
}
