package dev.nexus.api.testing;

import dev.nexus.api.PluginScheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link PluginScheduler} that runs nothing by itself: a test decides when tasks run, either when
 * the clock says they are due ({@link #runDue()}) or all at once ({@link #runAll()}). A task that throws
 * is recorded in {@link #failures()} and, if periodic, stays scheduled, as in the host. Thread-safe;
 * tasks run on the calling thread, outside the scheduler's lock.
 */
public final class ManualScheduler implements PluginScheduler {

    private final Clock clock;
    private final List<Entry> entries = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();

    /** Returns a scheduler whose due times follow {@code clock}. */
    public ManualScheduler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Task schedule(Duration delay, Runnable work) {
        Entry entry = new Entry(work, clock.instant().plus(delay), null);
        entries.add(entry);
        return entry;
    }

    @Override
    public synchronized Task every(Duration period, Runnable work) {
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period must be positive, got " + period);
        }
        Entry entry = new Entry(work, clock.instant().plus(period), period);
        entries.add(entry);
        return entry;
    }

    /** Runs every task whose due time has come by the clock; returns how many ran. */
    public int runDue() {
        return run(false);
    }

    /** Runs every pending task once, due or not; returns how many ran. */
    public int runAll() {
        return run(true);
    }

    /** Returns how many tasks are still scheduled (not cancelled, not yet run one-shots). */
    public synchronized int pending() {
        return (int) entries.stream().filter(entry -> !entry.cancelled).count();
    }

    /** Cancels every task, as the host does when the plugin stops. */
    public synchronized void cancelAll() {
        entries.forEach(entry -> entry.cancelled = true);
        entries.clear();
    }

    /** Returns what tasks threw, in order. */
    public synchronized List<Throwable> failures() {
        return List.copyOf(failures);
    }

    private int run(boolean all) {
        List<Entry> toRun = new ArrayList<>();
        synchronized (this) {
            Instant now = clock.instant();
            for (Entry entry : List.copyOf(entries)) {
                if (entry.cancelled || (!all && entry.due.isAfter(now))) {
                    continue;
                }
                toRun.add(entry);
                if (entry.period == null) {
                    entries.remove(entry);
                } else {
                    entry.due = (all ? now : entry.due).plus(entry.period);
                }
            }
        }
        for (Entry entry : toRun) {
            try {
                entry.work.run();
            } catch (RuntimeException | Error e) {
                synchronized (this) {
                    failures.add(e);
                }
            }
        }
        return toRun.size();
    }

    private final class Entry implements Task {
        private final Runnable work;
        private final Duration period;
        private Instant due;
        private volatile boolean cancelled;

        Entry(Runnable work, Instant due, Duration period) {
            this.work = work;
            this.due = due;
            this.period = period;
        }

        @Override
        public void cancel() {
            cancelled = true;
            synchronized (ManualScheduler.this) {
                entries.remove(this);
            }
        }
    }
}
