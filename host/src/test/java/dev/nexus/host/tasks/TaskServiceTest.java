package dev.nexus.host.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.ToolResult;
import dev.nexus.api.tool.ToolSpec;
import dev.nexus.host.ConflictException;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.approval.ApprovalConfig;
import dev.nexus.host.approval.Proposal;
import dev.nexus.host.approval.ProposalService;
import dev.nexus.host.approval.ToolCallProposals;
import dev.nexus.host.auth.Caller;
import dev.nexus.host.auth.Scope;
import dev.nexus.host.db.Database;
import dev.nexus.host.plugins.PluginRuntime;
import dev.nexus.host.plugins.PluginsConfig;
import dev.nexus.host.testing.TestDatabase;
import dev.nexus.host.testing.TestDatabases;
import dev.nexus.host.tools.ExternalTool;
import dev.nexus.host.tools.ToolExecutor;
import dev.nexus.host.tools.ToolsConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The task executor over a real database (H2 and PostgreSQL) with hand-written tools of a "ledger"
 * integration that count their runs: the queue, approval then exactly one run, retries of retriable
 * failures only, per-integration limits, cancellation, and two workers sharing one database.
 */
@ParameterizedClass
@MethodSource(TestDatabases.KINDS)
class TaskServiceTest {

    @Parameter
    Database.Kind kind;

    @TempDir
    Path dir;

    private TestDatabase db;
    private PluginRuntime runtime;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    private final AtomicInteger flaky = new AtomicInteger();
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger mostConcurrent = new AtomicInteger();
    private static final Caller REVIEWER = new Caller("key-reviewer", "reviewer", Set.of(Scope.APPROVER));
    private static final TasksConfig FAST = new TasksConfig(true, 50, 3, 5, 20, 4, Map.of("slow", 1), 1000);

    @BeforeEach
    void start() {
        db = TestDatabases.of(kind);
        runtime = new PluginRuntime(
                new PluginsConfig(dir.toString(), "", List.of(), Map.of()), dir, id -> Map.of(), Clock.systemUTC());
        runtime.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        runtime.close();
        db.close();
    }

    private List<ExternalTool> tools() {
        String schema =
                "{\"type\":\"object\",\"properties\":{\"entry\":{\"type\":\"string\"}},\"additionalProperties\":false}";
        return List.of(
                new ExternalTool(
                        "ledger",
                        new ToolSpec("ledger_read", "reads", schema, RiskLevel.LOW),
                        call -> counted(call.id(), "read")),
                new ExternalTool(
                        "ledger",
                        new ToolSpec("ledger_write", "writes", schema, RiskLevel.HIGH),
                        call -> counted(
                                call.id(), "wrote " + call.string("entry").orElse(""))),
                new ExternalTool(
                        "ledger",
                        new ToolSpec("ledger_flaky", "fails twice, retriably", schema, RiskLevel.LOW),
                        call -> {
                            runs.computeIfAbsent(call.id(), id -> new AtomicInteger())
                                    .incrementAndGet();
                            return flaky.incrementAndGet() <= 2
                                    ? new ToolResult.Failure("503 from the ledger", true)
                                    : new ToolResult.Success("read at last", "text/plain");
                        }),
                new ExternalTool("ledger", new ToolSpec("ledger_refuse", "refuses", schema, RiskLevel.LOW), call -> {
                    runs.computeIfAbsent(call.id(), id -> new AtomicInteger()).incrementAndGet();
                    return new ToolResult.Failure("422: entry is not valid", false);
                }),
                new ExternalTool("slow", new ToolSpec("slow_step", "one at a time", schema, RiskLevel.LOW), call -> {
                    int now = concurrent.incrementAndGet();
                    mostConcurrent.accumulateAndGet(now, Math::max);
                    Thread.sleep(20);
                    concurrent.decrementAndGet();
                    return counted(call.id(), "stepped");
                }));
    }

    private ToolResult counted(String id, String text) {
        runs.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        return new ToolResult.Success(text, "text/plain");
    }

    private record Node(TaskService tasks, ProposalService proposals) {}

    private Node node(TasksConfig config) {
        ProposalService proposals = new ProposalService(db.database(), Clock.systemUTC(), ApprovalConfig.defaults());
        ToolCallProposals toolCalls = new ToolCallProposals(proposals);
        TaskService tasks =
                new TaskService(db.database(), Clock.systemUTC(), config, toolCalls, new SplittableRandom(7));
        ToolExecutor executor = new ToolExecutor(runtime, new ToolsConfig(5_000, 1000, null, null), tasks, this::tools);
        open.add(executor);
        open.add(tasks);
        tasks.start(executor, 5_000);
        return new Node(tasks, proposals);
    }

    private static TaskService.Request request(String integration, String action, String entry) {
        return new TaskService.Request(integration, action, Map.of("entry", entry), "ada", "api", "key-ada");
    }

    private Task await(TaskService tasks, String id, TaskStatus status) {
        awaitTrue(
                () -> tasks.get(id).status() == status,
                () -> "task " + id + " never became " + status.label() + ": " + tasks.get(id) + " "
                        + tasks.history(id));
        return tasks.get(id);
    }

    private static void awaitTrue(BooleanSupplier condition, java.util.function.Supplier<String> why) {
        for (int i = 0; i < 600; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError(why.get());
    }

    @Test
    void aLowRiskAction_isQueuedAndRunsOnce_withAnAuditEntryPerTransition() {
        TaskService tasks = node(FAST).tasks();

        Task queued = tasks.submit(request("ledger", "read", "a"));
        Task done = await(tasks, queued.id(), TaskStatus.COMPLETED);

        assertThat(done.result()).contains("read");
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(runs.get(queued.id())).hasValue(1);
        assertThat(tasks.history(queued.id()))
                .extracting(Task.Transition::to)
                .containsExactly("pending", "running", "completed");
    }

    @Test
    void aRiskyAction_waitsForApproval_andRunsOnceAfterTheApprovalCommitted_evenWhenApprovedTwice() {
        Node node = node(FAST);
        Task waiting = node.tasks().submit(request("ledger", "write", "pay ann"));
        assertThat(waiting.status()).isEqualTo(TaskStatus.AWAITING_APPROVAL);
        String proposalId = waiting.proposal().orElseThrow();
        Proposal proposal = node.proposals().get(proposalId);
        assertThat(proposal.payload()).containsEntry("task", waiting.id()).containsEntry("tool", "ledger_write");

        Proposal approved = node.proposals().approve(proposalId, REVIEWER, proposal.sha256(), "ann is owed");
        Proposal again = node.proposals().approve(proposalId, REVIEWER, proposal.sha256(), "clicked twice");

        assertThat(approved.result()).containsEntry("task", waiting.id()).containsEntry("outcome", "queued");
        assertThat(again.result()).isEqualTo(approved.result());
        Task done = await(node.tasks(), waiting.id(), TaskStatus.COMPLETED);
        assertThat(done.result()).contains("wrote pay ann");
        assertThat(runs.get(waiting.id())).as("runs of the approved task").hasValue(1);
        assertThat(node.tasks().history(waiting.id()))
                .extracting(Task.Transition::to)
                .containsExactly("awaiting-approval", "pending", "running", "completed");
        assertThat(TaskService.settled(done))
                .hasValueSatisfying(
                        s -> assertThat(s.text())
                                .isEqualTo(
                                        "[Tool result] A reviewer approved your call to the tool 'ledger_write', and it ran. Its result:\nwrote pay ann"));
    }

    @Test
    void releasingATask_joinsTheApprovalsTransaction_soARolledBackApprovalLeavesItWaiting() {
        Node node = node(new TasksConfig(false, null, null, null, null, null, null, null));
        Task waiting = node.tasks().submit(request("ledger", "write", "x"));

        assertThatThrownBy(() -> db.database().jdbi().useTransaction(h -> {
                    node.tasks().release(waiting.id());
                    throw new IllegalStateException("the approval failed after releasing the task");
                }))
                .hasMessageContaining("the approval failed");

        assertThat(node.tasks().get(waiting.id()).status()).isEqualTo(TaskStatus.AWAITING_APPROVAL);
    }

    @Test
    void aRejectedProposal_cancelsItsTask_andNothingRuns() {
        Node node = node(FAST);
        Task waiting = node.tasks().submit(request("ledger", "write", "no"));

        node.proposals().reject(waiting.proposal().orElseThrow(), REVIEWER, "not today");

        Task cancelled = await(node.tasks(), waiting.id(), TaskStatus.CANCELLED);
        assertThat(cancelled.error()).contains("its proposal was rejected");
        assertThat(runs).doesNotContainKey(waiting.id());
    }

    @Test
    void aRetriableFailure_isRetriedWithBackoff_whileARefusalFailsAtOnce() {
        TaskService tasks = node(FAST).tasks();

        Task flakyTask = tasks.submit(request("ledger", "flaky", "a"));
        Task refused = tasks.submit(request("ledger", "refuse", "b"));

        Task recovered = await(tasks, flakyTask.id(), TaskStatus.COMPLETED);
        assertThat(recovered.attempts()).isEqualTo(3);
        assertThat(tasks.history(flakyTask.id()))
                .filteredOn(t -> t.to().equals("pending") && t.from().isPresent())
                .hasSize(2)
                .allSatisfy(t -> assertThat(t.detail().orElseThrow())
                        .contains("503 from the ledger")
                        .contains("retry in"));
        Task failed = await(tasks, refused.id(), TaskStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.error()).contains("422: entry is not valid");
        assertThat(runs.get(refused.id())).hasValue(1);
    }

    @Test
    void backoff_doublesPerAttempt_withJitter_withinTheCeiling() {
        TaskRunner runner = new TaskRunner(
                null,
                null,
                new TasksConfig(true, 50, 5, 100, 1000, 1, null, 1000),
                Clock.systemUTC(),
                new SplittableRandom(1),
                1000,
                t -> {},
                () -> {});
        for (int attempt = 1; attempt <= 6; attempt++) {
            long ceiling = Math.min(1000, 100L << (attempt - 1));
            assertThat(runner.backoff(attempt).toMillis())
                    .as("attempt " + attempt)
                    .isBetween(ceiling / 2, ceiling);
        }
    }

    @Test
    void anIntegrationsConcurrencyLimit_holds() {
        TaskService tasks = node(FAST).tasks();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(tasks.submit(request("slow", "step", "s" + i)).id());
        }
        ids.forEach(id -> await(tasks, id, TaskStatus.COMPLETED));
        assertThat(mostConcurrent).as("'slow' is limited to one at a time").hasValue(1);
    }

    @Test
    void twoWorkersOnOneDatabase_runEveryTaskExactlyOnce() {
        TaskService first = node(FAST).tasks();
        TaskService second = node(FAST).tasks();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add((i % 2 == 0 ? first : second)
                    .submit(request("ledger", "read", "r" + i))
                    .id());
        }
        ids.forEach(id -> await(first, id, TaskStatus.COMPLETED));
        assertThat(ids)
                .allSatisfy(id -> assertThat(runs.get(id)).as("runs of " + id).hasValue(1));
    }

    @Test
    void cancel_stopsATaskBeforeItRuns_butNotOneThatFinished() {
        Node node = node(FAST);
        Task waiting = node.tasks().submit(request("ledger", "write", "later"));

        Task cancelled = node.tasks().cancel(waiting.id(), "key-ada");
        assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
        Proposal proposal = node.proposals().get(waiting.proposal().orElseThrow());
        Proposal approved = node.proposals().approve(proposal.id(), REVIEWER, proposal.sha256(), "too late");
        assertThat(approved.result()).containsEntry("outcome", "cancelled before approval; nothing runs");
        assertThat(node.tasks().get(waiting.id()).status()).isEqualTo(TaskStatus.CANCELLED);

        Task done = await(
                node.tasks(),
                node.tasks().submit(request("ledger", "read", "now")).id(),
                TaskStatus.COMPLETED);
        assertThatThrownBy(() -> node.tasks().cancel(done.id(), "key-ada"))
                .isInstanceOf(ConflictException.class)
                .hasMessage("task " + done.id() + " is completed and can no longer be cancelled");
        assertThat(runs).doesNotContainKey(waiting.id());
    }

    @Test
    void submit_refusesUnknownActionsAndParametersThatBreakTheSchema_namingTheFix() {
        TaskService tasks = node(FAST).tasks();

        assertThatThrownBy(() -> tasks.submit(request("nope", "read", "a")))
                .isInstanceOf(NotFoundException.class)
                .hasMessageStartingWith("there is no integration 'nope'; GET /v1/tasks/integrations lists them");
        assertThatThrownBy(() -> tasks.submit(request("ledger", "burn", "a")))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("integration 'ledger' has no action 'burn'; its actions are [flaky, read, refuse, write]");
        assertThatThrownBy(() ->
                        tasks.submit(new TaskService.Request("ledger", "read", Map.of("entry", 5), "ada", "api", "k")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("invalid params for ledger/read")
                .hasMessageContaining("$.entry");
        assertThat(tasks.list(java.util.Optional.of("ada"), java.util.Optional.empty(), java.util.Optional.empty()))
                .isEmpty();
        assertThat(tasks.integrations())
                .extracting(TaskIntegrations.Integration::integration)
                .containsExactly("ledger", "slow");
    }
}
