package dev.nexus.host.tasks;

import dev.nexus.api.tool.ToolCall;
import dev.nexus.host.tools.ToolExecutor;
import dev.nexus.host.tools.ToolOutcome;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host's worker: one loop that wakes on new tasks, on approval decisions and every
 * {@code tasks.poll-millis}; it fails or retries tasks whose lease ran out, cancels tasks whose
 * proposal was refused, claims due tasks within the per-integration limits, and runs each on a
 * virtual thread through the tool executor (time-limited there). Thread-safe.
 */
final class TaskRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
    private static final int CLAIM_BATCH = 32;
    /** Approval decisions are also swept on a timer (expiry happens without an event); every this many polls. */
    private static final int APPROVAL_SWEEP_EVERY = 10;

    private final TaskRepository repository;
    private final ToolExecutor tools;
    private final TasksConfig config;
    private final Clock clock;
    private final RandomGenerator random;
    private final int leaseMillis;
    private final Consumer<Task> settled;
    private final Runnable sweepApprovals;
    private final String owner;
    private final Semaphore signal = new Semaphore(0);
    private final Map<String, Semaphore> permits = new ConcurrentHashMap<>();
    private final Set<String> mine = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean closed;
    private Thread loop;

    TaskRunner(
            TaskRepository repository,
            ToolExecutor tools,
            TasksConfig config,
            Clock clock,
            RandomGenerator random,
            int leaseMillis,
            Consumer<Task> settled,
            Runnable sweepApprovals) {
        this.repository = repository;
        this.tools = tools;
        this.config = config;
        this.clock = clock;
        this.random = random;
        this.leaseMillis = leaseMillis;
        this.settled = settled;
        this.sweepApprovals = sweepApprovals;
        this.owner = "system:tasks@" + ManagementFactory.getRuntimeMXBean().getName() + "/"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    synchronized void start() {
        loop = Thread.ofVirtual().name("nexus-tasks").start(this::loop);
        LOG.info("task worker {} started (poll {} ms, lease {} ms)", owner, config.pollMillis(), leaseMillis);
    }

    /** Makes the loop look for work now. Never blocks. */
    void wake() {
        signal.release();
    }

    private void loop() {
        long polls = 0;
        while (!closed) {
            try {
                signal.tryAcquire(config.pollMillis(), TimeUnit.MILLISECONDS);
                signal.drainPermits();
                if (closed) {
                    return;
                }
                if (polls++ % APPROVAL_SWEEP_EVERY == 0) {
                    sweepApprovals.run();
                }
                recoverExpiredLeases();
                claimAndRun();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // The database may be down: keep the loop alive and try again at the next poll.
                LOG.warn("task worker {}: {}", owner, e.toString());
            }
        }
    }

    private void claimAndRun() {
        List<Semaphore> taken = new ArrayList<>();
        List<Task> claimed;
        try {
            claimed = repository.claim(owner, clock.instant().plusMillis(leaseMillis), CLAIM_BATCH, task -> {
                Semaphore permit = permits.computeIfAbsent(task.integration(), i -> new Semaphore(config.limitFor(i)));
                if (permit.tryAcquire()) {
                    taken.add(permit);
                    return true;
                }
                return false;
            });
        } catch (RuntimeException e) {
            taken.forEach(Semaphore::release);
            throw e;
        }
        // Permits taken for tasks another host claimed first (the compare-and-set lost) go back.
        for (int i = claimed.size(); i < taken.size(); i++) {
            taken.get(i).release();
        }
        for (Task task : claimed) {
            mine.add(task.id());
            threads.execute(() -> {
                try {
                    run(task);
                } finally {
                    mine.remove(task.id());
                    permits.get(task.integration()).release();
                    wake();
                }
            });
        }
    }

    private void run(Task task) {
        ToolOutcome outcome;
        try {
            outcome = tools.runApproved(
                    new ToolCall(task.id(), task.tool(), task.params(), task.user(), task.personality()));
        } catch (RuntimeException e) {
            outcome = new ToolOutcome.Failed("the task failed unexpectedly: " + e.getMessage(), false);
        }
        boolean moved = switch (outcome) {
            case ToolOutcome.Done done ->
                repository.move(
                        task.id(),
                        TaskStatus.RUNNING,
                        TaskStatus.COMPLETED,
                        Optional.of(owner),
                        "result = :result, lease_owner = NULL, lease_until = NULL, finished_at = :finished",
                        Map.of("result", done.forModel(), "finished", TaskRepository.at(clock.instant())),
                        owner,
                        "completed");
            case ToolOutcome.Failed failed -> failed(task, failed, ToolExecutor.abandoned(failed));
            case ToolOutcome.AwaitingApproval waiting ->
                repository.move(
                        task.id(),
                        TaskStatus.RUNNING,
                        TaskStatus.FAILED,
                        Optional.of(owner),
                        "error = :error, lease_owner = NULL, lease_until = NULL, finished_at = :finished",
                        Map.of(
                                "error",
                                "the action asked for approval while running",
                                "finished",
                                TaskRepository.at(clock.instant())),
                        owner,
                        "unexpected approval request");
        };
        if (!moved) {
            LOG.warn(
                    "task {} finished on {} after its lease was taken over; its outcome is not recorded",
                    task.id(),
                    owner);
            return;
        }
        repository.find(task.id()).filter(t -> t.status().isFinal()).ifPresent(settled);
    }

    private boolean failed(Task task, ToolOutcome.Failed failed, boolean timedOut) {
        int attempt = task.attempts();
        boolean mayRepeat = !timedOut || "low".equals(task.risk());
        if (failed.retriable() && mayRepeat && attempt < task.maxAttempts()) {
            Duration delay = backoff(attempt);
            return repository.move(
                    task.id(),
                    TaskStatus.RUNNING,
                    TaskStatus.PENDING,
                    Optional.of(owner),
                    "error = :error, next_run_at = :next, lease_owner = NULL, lease_until = NULL",
                    Map.of(
                            "error",
                            failed.reason(),
                            "next",
                            TaskRepository.at(clock.instant().plus(delay))),
                    owner,
                    "attempt " + attempt + " failed (retriable): " + failed.reason() + "; retry in " + delay.toMillis()
                            + " ms");
        }
        String why = failed.reason()
                + (timedOut && !mayRepeat
                        ? " (not retried: a " + task.risk() + "-risk action may have taken "
                                + "effect before it was abandoned; check before running it again)"
                        : failed.retriable() && attempt >= task.maxAttempts()
                                ? " (gave up after " + attempt + " attempts)"
                                : "");
        return repository.move(
                task.id(),
                TaskStatus.RUNNING,
                TaskStatus.FAILED,
                Optional.of(owner),
                "error = :error, lease_owner = NULL, lease_until = NULL, finished_at = :finished",
                Map.of("error", why, "finished", TaskRepository.at(clock.instant())),
                owner,
                "failed");
    }

    /** Exponential backoff with "equal jitter": half the doubled delay, plus a random part of the other half. */
    Duration backoff(int attempt) {
        long ceiling = Math.min(config.retryMaxMillis(), (long) config.retryBaseMillis() << Math.min(20, attempt - 1));
        long half = ceiling / 2;
        return Duration.ofMillis(half + (half > 0 ? random.nextLong(half + 1) : 0));
    }

    /** A running task whose lease ran out lost its host mid-run: a low-risk one runs again, anything else fails honestly. */
    private void recoverExpiredLeases() {
        Instant now = clock.instant();
        for (Task task : repository.expiredLeases(now, 50)) {
            if (mine.contains(task.id())) {
                continue; // still running here (a slow tool past its lease); its own outcome decides
            }
            boolean again = "low".equals(task.risk()) && task.attempts() < task.maxAttempts();
            boolean moved = again
                    ? repository.move(
                            task.id(),
                            TaskStatus.RUNNING,
                            TaskStatus.PENDING,
                            Optional.empty(),
                            "lease_owner = NULL, lease_until = NULL, next_run_at = :now",
                            Map.of("now", TaskRepository.at(now)),
                            owner,
                            "its host stopped mid-run; a low-risk action runs again")
                    : repository.move(
                            task.id(),
                            TaskStatus.RUNNING,
                            TaskStatus.FAILED,
                            Optional.empty(),
                            "error = :error, lease_owner = NULL, lease_until = NULL, finished_at = :now",
                            Map.of(
                                    "error",
                                    "interrupted: the host running it stopped mid-run, so it may or may not have taken "
                                            + "effect; check before running it again",
                                    "now",
                                    TaskRepository.at(now)),
                            owner,
                            "lease expired");
            if (moved && !again) {
                repository.find(task.id()).ifPresent(settled);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        signal.release();
        threads.shutdownNow();
        Thread running;
        synchronized (this) {
            running = loop;
        }
        if (running != null) {
            try {
                running.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
