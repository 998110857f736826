package dev.nexus.host.tasks;

import dev.nexus.api.tool.ToolCall;
import dev.nexus.api.tool.ToolSpec;
import dev.nexus.host.ConflictException;
import dev.nexus.host.Ids;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NexusException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.approval.ToolCallProposals;
import dev.nexus.host.auth.Principals;
import dev.nexus.host.db.Database;
import dev.nexus.host.tools.ToolApprovals;
import dev.nexus.host.tools.ToolExecutor;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task executor: runs integrations' actions (the tools plugins offer) as tasks in a durable
 * queue in the database. A task survives a restart and runs on one host however many share the
 * database (claimed with a lease, see {@link TaskRepository#claim}); retriable failures are retried
 * with exponential backoff and jitter; each integration has a concurrency limit per host; every
 * transition is audited. A risky action becomes an approval proposal: approving it releases the task
 * in the approval's transaction, and the task runs after that commit, once (the call's id is the task
 * id, so an integration can recognise a repeat).
 *
 * <p>It is also the tool executor's {@link ToolApprovals}: a risky call a model makes in chat becomes
 * a task waiting for approval, and once it has run, the conversation goes on ({@link #onSettled}).
 * Thread-safe.
 */
public final class TaskService implements ToolApprovals, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskService.class);
    static final int LIST_LIMIT = 500;
    static final int MAX_PARAMS_CHARS = 64_000;

    private final TaskRepository repository;
    private final Clock clock;
    private final TasksConfig config;
    private final ToolCallProposals proposals;
    private final RandomGenerator random;
    private final List<Consumer<Task>> settled = new CopyOnWriteArrayList<>();
    private volatile ToolExecutor tools;
    private volatile TaskRunner runner;
    private AutoCloseable wakeOnProposals;

    public TaskService(
            Database database, Clock clock, TasksConfig config, ToolCallProposals proposals, RandomGenerator random) {
        this.repository = new TaskRepository(database, clock);
        this.clock = clock;
        this.config = config;
        this.proposals = proposals;
        this.random = random;
    }

    /**
     * Runs tasks with {@code executor}: installs the release of approved tasks into the approval queue
     * and, when {@code tasks.worker} is on, starts this host's worker.
     *
     * @param leaseMillis how long a claimed task may run before another host may take it over
     *     ({@code tools.timeout-millis} plus {@code tasks.lease-grace-millis})
     */
    public synchronized void start(ToolExecutor executor, int leaseMillis) {
        this.tools = executor;
        proposals.releaseTasksWith(this::release);
        if (config.worker() && runner == null) {
            runner = new TaskRunner(
                    repository,
                    executor,
                    config,
                    clock,
                    random,
                    leaseMillis + config.leaseGraceMillis(),
                    this::publish,
                    this::sweepApprovals);
            wakeOnProposals = proposals.onTransition(runner::wake);
            runner.start();
        }
    }

    /**
     * What a caller asks for.
     *
     * @param integration the integration (plugin id) offering the action
     * @param action the action's name
     * @param params the action's arguments
     * @param user the user it runs for
     * @param personality the personality asking ({@code api} over HTTP)
     * @param createdBy the key id or {@code system:…} creating it
     */
    public record Request(
            String integration,
            String action,
            Map<String, Object> params,
            String user,
            String personality,
            String createdBy) {}

    /**
     * Queues an action: checks that the integration offers it and that the parameters fit its schema;
     * a risky one waits for approval (its proposal is filed at once).
     *
     * @throws NotFoundException when the integration or action is not on offer
     * @throws InvalidInputException when the parameters do not fit, naming each field
     */
    public Task submit(Request request) {
        if (request.integration() == null
                || request.integration().isBlank()
                || request.action() == null
                || request.action().isBlank()) {
            throw new InvalidInputException(
                    "'integration' and 'action' are required, e.g. {\"integration\": \"github\", "
                            + "\"action\": \"create_issue\", \"params\": {…}}; GET /v1/tasks/integrations lists them");
        }
        Principals.requireValid("user", request.user());
        Map<String, Object> params = request.params() == null ? Map.of() : request.params();
        if (dev.nexus.host.json.Json.write(params).length() > MAX_PARAMS_CHARS) {
            throw new InvalidInputException("'params' must be at most " + MAX_PARAMS_CHARS + " characters of JSON");
        }
        ToolExecutor.Offer offer = offer(request.integration(), request.action());
        List<String> problems = executor().problems(offer.spec().name(), params);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(
                    "invalid params for " + request.integration() + "/" + request.action(), problems);
        }
        String id = Ids.newId(clock);
        return create(
                id,
                offer,
                request.action(),
                params,
                request.user(),
                request.personality(),
                "api",
                id,
                request.createdBy());
    }

    /** Files a risky call the model made (through the tool executor) as a task awaiting approval; returns the proposal id. */
    @Override
    public String propose(ToolCall call, ToolSpec spec, String pluginId) {
        String action = TaskIntegrations.action(pluginId, spec.name());
        ToolExecutor.Offer offer = new ToolExecutor.Offer(pluginId, spec, true);
        Task task = create(
                Ids.newId(clock),
                offer,
                action,
                call.arguments(),
                call.user(),
                call.personality(),
                "manual-invoke".equals(call.personality()) ? "api" : "chat",
                call.id(),
                "system:tools");
        return task.proposal().orElseThrow();
    }

    private Task create(
            String id,
            ToolExecutor.Offer offer,
            String action,
            Map<String, Object> params,
            String user,
            String personality,
            String origin,
            String callId,
            String createdBy) {
        Instant now = clock.instant();
        TaskStatus status = offer.needsApproval() ? TaskStatus.AWAITING_APPROVAL : TaskStatus.PENDING;
        Task task = new Task(
                id,
                offer.source(),
                action,
                offer.spec().name(),
                params,
                user,
                personality == null ? "api" : personality,
                origin,
                callId == null ? id : callId,
                offer.spec().risk().name().toLowerCase(Locale.ROOT),
                status,
                Optional.empty(),
                0,
                config.maxAttempts(),
                now,
                Optional.empty(),
                Optional.empty(),
                createdBy,
                now,
                now);
        repository.insert(
                task, offer.needsApproval() ? "risk " + task.risk() + ": waits for a human's approval" : "queued");
        if (offer.needsApproval()) {
            String proposal;
            try {
                proposal = proposals.proposeTask(
                        id,
                        new ToolCall(id, offer.spec().name(), params, user, task.personality()),
                        offer.spec(),
                        offer.source());
            } catch (NexusException e) {
                repository.move(
                        id,
                        TaskStatus.AWAITING_APPROVAL,
                        TaskStatus.FAILED,
                        Optional.empty(),
                        "error = :error",
                        Map.of("error", e.getMessage()),
                        "system:tasks",
                        "no proposal could be filed");
                throw e;
            }
            repository.setProposal(id, proposal);
            task = repository.find(id).orElseThrow();
        } else if (runner != null) {
            runner.wake();
        }
        return task;
    }

    /**
     * Returns the queue's depth: how many tasks wait to run ({@code pending}), wait for an approval
     * ({@code awaiting-approval}) or run now ({@code running}), keyed by status label; every such
     * status is present, with 0 when no task is in it. One query.
     */
    public Map<String, Long> depth() {
        Map<TaskStatus, Long> counted = repository.depth();
        Map<String, Long> depth = new LinkedHashMap<>();
        for (TaskStatus status : List.of(TaskStatus.PENDING, TaskStatus.AWAITING_APPROVAL, TaskStatus.RUNNING)) {
            depth.put(status.label(), counted.getOrDefault(status, 0L));
        }
        return depth;
    }

    /** Returns task {@code id}. @throws NotFoundException when there is none */
    public Task get(String id) {
        return repository.find(id).orElseThrow(() -> NotFoundException.of("task", id));
    }

    /** Returns the user owning task {@code id}, or empty when there is no such task. */
    public Optional<String> ownerOf(String id) {
        return repository.ownerOf(id);
    }

    /** Returns task {@code id}'s transitions, oldest first. */
    public List<Task.Transition> history(String id) {
        get(id);
        return repository.history(id);
    }

    /** Returns tasks, newest first (at most 500), filtered by user, status and integration when given. */
    public List<Task> list(Optional<String> user, Optional<TaskStatus> status, Optional<String> integration) {
        return repository.list(user, status, integration, LIST_LIMIT);
    }

    /** Returns every integration on offer with its actions, parameter schemas and risk. */
    public List<TaskIntegrations.Integration> integrations() {
        return TaskIntegrations.of(executor().offers());
    }

    /**
     * Cancels task {@code id} before it runs (pending or awaiting approval; a proposal still pending
     * stays in the queue, and approving it later runs nothing).
     *
     * @throws ConflictException when it is running or already finished
     */
    public Task cancel(String id, String actor) {
        Task task = get(id);
        if (task.status() == TaskStatus.CANCELLED) {
            return task;
        }
        if (task.status() == TaskStatus.PENDING || task.status() == TaskStatus.AWAITING_APPROVAL) {
            if (repository.move(
                    id,
                    task.status(),
                    TaskStatus.CANCELLED,
                    Optional.empty(),
                    "error = :error, finished_at = :finished",
                    Map.of("error", "cancelled by " + actor, "finished", TaskRepository.at(clock.instant())),
                    actor,
                    "cancelled")) {
                Task cancelled = get(id);
                publish(cancelled);
                return cancelled;
            }
            task = get(id);
        }
        throw new ConflictException("task " + id + " is " + task.status().label() + " and can no longer be cancelled"
                + (task.status() == TaskStatus.RUNNING
                        ? "; it ends within its time limit (tools.timeout-millis)"
                        : ""));
    }

    /**
     * What a finished chat task tells its conversation. Immutable.
     *
     * @param proposal the proposal the conversation waits for
     * @param text the words the model reads
     * @param metadata kept on the conversation's tool message
     */
    public record Settled(String proposal, String text, Map<String, Object> metadata) {}

    /** Calls {@code listener} (must not block for long) with each task that reaches a final state on this host. */
    public void onSettled(Consumer<Task> listener) {
        settled.add(listener);
    }

    /** Returns what the approved task of proposal {@code id} came to, once it is final; empty before, or for no task. */
    public Optional<Settled> settledByProposal(String proposal) {
        return repository.byProposal(proposal).filter(t -> t.status().isFinal()).flatMap(TaskService::settled);
    }

    /** Returns what a final task with a proposal tells its conversation. */
    public static Optional<Settled> settled(Task task) {
        if (task.proposal().isEmpty() || !task.status().isFinal()) {
            return Optional.empty();
        }
        String text = switch (task.status()) {
            case COMPLETED ->
                "[Tool result] A reviewer approved your call to the tool '" + task.tool()
                        + "', and it ran. Its result:\n" + task.result().orElse("");
            case FAILED ->
                "[Tool result] A reviewer approved your call to the tool '" + task.tool() + "', but it failed: "
                        + task.error().orElse("no reason given");
            default ->
                "[Tool result] Your call to the tool '" + task.tool() + "' did not run: "
                        + task.error().orElse("cancelled") + ". Tell the user.";
        };
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("tool", task.tool());
        metadata.put("task", task.id());
        metadata.put("state", task.status() == TaskStatus.CANCELLED ? "cancelled" : "applied");
        metadata.put(
                "outcome",
                task.status() == TaskStatus.COMPLETED ? "done" : task.status().label());
        return Optional.of(new Settled(task.proposal().get(), text, metadata));
    }

    /** Returns {@code user}'s tasks, for a person's export. */
    public List<Map<String, Object>> exportUser(String user) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Task task : repository.list(Optional.of(user), Optional.empty(), Optional.empty(), 10_000)) {
            out.add(TaskRoutes.view(task));
        }
        return out;
    }

    /** Deletes every task of {@code user} with its audit trail (a person's erasure). */
    public Map<String, Integer> eraseUser(String user) {
        return Map.of("tasks", repository.deleteUser(user));
    }

    /** In the approval's transaction: moves the task to pending, so it runs once the approval has committed. */
    Map<String, Object> release(String id) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("task", id);
        boolean moved = repository.move(
                id,
                TaskStatus.AWAITING_APPROVAL,
                TaskStatus.PENDING,
                Optional.empty(),
                "",
                Map.of(),
                "system:approval",
                "approved; runs once the approval has committed");
        if (moved) {
            result.put("outcome", "queued");
            return result;
        }
        Task task = repository
                .find(id)
                .orElseThrow(() -> new ConflictException("proposal names task " + id
                        + ", which no longer exists (its user was erased?); reject the proposal"));
        result.put(
                "outcome",
                task.status() == TaskStatus.CANCELLED
                        ? "cancelled before approval; nothing runs"
                        : task.status().label());
        return result;
    }

    /** Cancels tasks whose proposal was rejected, expired or went stale. */
    private void sweepApprovals() {
        for (Task task : repository.awaiting(100)) {
            if (task.proposal().isEmpty()) {
                continue;
            }
            Optional<String> state = proposals.stateOf(task.proposal().get());
            if (state.isPresent()
                    && !state.get().equals("pending")
                    && !state.get().equals("applied")) {
                repository.move(
                        task.id(),
                        TaskStatus.AWAITING_APPROVAL,
                        TaskStatus.CANCELLED,
                        Optional.empty(),
                        "error = :error, finished_at = :finished",
                        Map.of(
                                "error",
                                "its proposal was " + state.get(),
                                "finished",
                                TaskRepository.at(clock.instant())),
                        "system:approval",
                        "proposal " + state.get());
            }
        }
    }

    private void publish(Task task) {
        for (Consumer<Task> listener : settled) {
            try {
                listener.accept(task);
            } catch (RuntimeException e) {
                LOG.warn("a task listener failed for task {}: {}", task.id(), e.toString());
            }
        }
    }

    private ToolExecutor.Offer offer(String integration, String action) {
        List<ToolExecutor.Offer> offers = executor().offers();
        return offers.stream()
                .filter(o -> o.source().equals(integration)
                        && TaskIntegrations.action(o.source(), o.spec().name()).equals(action))
                .findFirst()
                .orElseThrow(
                        () -> offers.stream().anyMatch(o -> o.source().equals(integration))
                                ? new NotFoundException("integration '" + InvalidInputException.cap(integration)
                                        + "' has no action '"
                                        + InvalidInputException.cap(action) + "'; its actions are "
                                        + offers.stream()
                                                .filter(o -> o.source().equals(integration))
                                                .map(o -> TaskIntegrations.action(
                                                        o.source(), o.spec().name()))
                                                .sorted()
                                                .toList())
                                : new NotFoundException(
                                        "there is no integration '" + InvalidInputException.cap(integration)
                                                + "'; GET /v1/tasks/integrations lists them (an integration plugin must be started: see GET /v1/plugins)"));
    }

    private ToolExecutor executor() {
        ToolExecutor executor = tools;
        if (executor == null) {
            throw new ConflictException("the task executor is not started on this host");
        }
        return executor;
    }

    @Override
    public synchronized void close() {
        if (wakeOnProposals != null) {
            try {
                wakeOnProposals.close();
            } catch (Exception e) {
                LOG.debug("unsubscribing from proposals failed", e);
            }
        }
        if (runner != null) {
            runner.close();
            runner = null;
        }
    }
}
