package dev.nexus.host.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.ToolCall;
import dev.nexus.api.tool.ToolSpec;
import dev.nexus.host.ConflictException;
import dev.nexus.host.auth.Caller;
import dev.nexus.host.auth.Scope;
import dev.nexus.host.db.Database;
import dev.nexus.host.plugins.PluginRuntime;
import dev.nexus.host.plugins.PluginsConfig;
import dev.nexus.host.testing.PluginJar;
import dev.nexus.host.testing.TestDatabase;
import dev.nexus.host.testing.TestDatabases;
import dev.nexus.host.tools.ToolExecutor;
import dev.nexus.host.tools.ToolOutcome;
import dev.nexus.host.tools.ToolsConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

@ParameterizedClass
@MethodSource(TestDatabases.KINDS)
class ToolCallProposalsTest {

    @Parameter
    Database.Kind database;

    @TempDir
    Path dir;

    @Test
    void riskyToolCall_waitsForApprovalThenRunsOnce() throws java.io.IOException {
        PluginJar.builder("mailer")
                .source("mailer.Send", """
                        package mailer;
                        import dev.nexus.api.PluginContext;
                        import dev.nexus.api.tool.*;
                        @org.pf4j.Extension
                        public class Send implements Tool {
                            public ToolSpec spec() { return new ToolSpec("send_mail", "sends mail", "{\\"type\\":\\"object\\"}", RiskLevel.HIGH); }
                            public ToolResult invoke(ToolCall call) {
                                try {
                                    java.nio.file.Files.writeString(java.nio.file.Path.of(call.string("log").orElseThrow()), "ran\\n",
                                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                                } catch (java.io.IOException e) {
                                    return new ToolResult.Failure("cannot log the run: " + e.getMessage(), false);
                                }
                                return new ToolResult.Success("sent to " + call.string("to").orElse("?"), "text/plain");
                            }
                        }
                        """)
                .extension("mailer.Send")
                .build(dir);
        try (TestDatabase db = TestDatabases.of(database);
                PluginRuntime runtime = new PluginRuntime(
                        new PluginsConfig(dir.toString(), "", List.of(), Map.of()),
                        dir,
                        id -> Map.of(),
                        Clock.systemUTC())) {
            runtime.start();
            ProposalService proposals =
                    new ProposalService(db.database(), Clock.systemUTC(), ApprovalConfig.defaults());
            ToolCallProposals toolCalls = new ToolCallProposals(proposals);
            Path runs = dir.resolve("runs.log");
            try (ToolExecutor executor =
                    new ToolExecutor(runtime, new ToolsConfig(30_000, 100, null, null), toolCalls)) {
                toolCalls.runApprovedWith(executor);

                ToolOutcome outcome = executor.execute(
                        "call-1",
                        "send_mail",
                        "{\"to\":\"ann\",\"log\":" + dev.nexus.host.json.Json.write(runs.toString()) + "}",
                        "ann",
                        "sage");
                assertThat(runs).as("a risky call does not run before approval").doesNotExist();

                String id = ((ToolOutcome.AwaitingApproval) outcome).proposalId();
                Proposal pending = proposals.get(id);
                assertThat(pending.kind()).isEqualTo(ProposalKind.TOOL_CALL);
                assertThat(pending.proposer()).isEqualTo("system:tools");
                assertThat(pending.payload())
                        .containsEntry("tool", "send_mail")
                        .containsEntry("risk", "high")
                        .containsEntry("arguments", Map.of("to", "ann", "log", runs.toString()));
                Caller reviewer = new Caller("key-r", "reviewer", Set.of(Scope.APPROVER));
                Proposal applied = proposals.approve(id, reviewer, pending.sha256(), "ann asked for it");
                Proposal again = proposals.approve(id, reviewer, pending.sha256(), "approved twice by mistake");
                assertThat(applied.result()).containsEntry("outcome", "done").containsEntry("content", "sent to ann");
                assertThat(again.result()).isEqualTo(applied.result());
                assertThat(java.nio.file.Files.readAllLines(runs))
                        .as("runs of the approved call")
                        .containsExactly("ran");
            }
        }
    }

    private static final ToolSpec SEND_MAIL =
            new ToolSpec("send_mail", "sends mail", "{\"type\":\"object\"}", RiskLevel.HIGH);
    private static final Caller REVIEWER = new Caller("key-r", "reviewer", Set.of(Scope.APPROVER));

    private static ToolCall call(String id) {
        return new ToolCall(id, "send_mail", Map.of("to", "ann"), "ann", "sage");
    }

    @Test
    void decided_tellsTheConversationWhatCameOfEachCall_andNothingWhileItIsPending() {
        MutableClock clock = new MutableClock(Instant.parse("2025-05-01T10:00:00Z"));
        try (TestDatabase db = TestDatabases.of(database)) {
            ProposalService proposals = new ProposalService(db.database(), clock, new ApprovalConfig(24));
            ToolCallProposals toolCalls = new ToolCallProposals(proposals);
            String expired = toolCalls.propose(call("c-expired"), SEND_MAIL, "mailer");
            clock.advance(Duration.ofHours(2));
            String ran = toolCalls.propose(call("c-ran"), SEND_MAIL, "mailer");
            String failed = toolCalls.propose(call("c-failed"), SEND_MAIL, "mailer");
            String rejected = toolCalls.propose(call("c-rejected"), SEND_MAIL, "mailer");
            String pending = toolCalls.propose(call("c-pending"), SEND_MAIL, "mailer");
            proposals.register(
                    ProposalKind.TOOL_CALL,
                    p -> p.payload().get("call").equals("c-ran")
                            ? Map.of("outcome", "done", "content", "sent to ann")
                            : Map.of("outcome", "failed", "reason", "the mail server is down"));
            proposals.approve(ran, REVIEWER, proposals.get(ran).sha256(), "ann asked");
            proposals.approve(failed, REVIEWER, proposals.get(failed).sha256(), "ann asked");
            proposals.reject(rejected, REVIEWER, "  too many mails today ");
            clock.advance(Duration.ofHours(23)); // the first is 25 hours old now, the others 23

            assertThat(toolCalls.decided(ran)).hasValueSatisfying(d -> {
                assertThat(d.proposal()).isEqualTo(ran);
                assertThat(d.outcome())
                        .isEqualTo("[Tool result] A reviewer approved your call to the tool 'send_mail', and it ran. "
                                + "Its result:\nsent to ann");
                assertThat(d.metadata())
                        .containsExactly(
                                Map.entry("tool", "send_mail"),
                                Map.entry("state", "applied"),
                                Map.entry("outcome", "done"));
            });
            assertThat(toolCalls.decided(failed))
                    .hasValueSatisfying(d -> assertThat(d.outcome())
                            .isEqualTo(
                                    "[Tool result] A reviewer approved your call to the tool 'send_mail', but it failed: "
                                            + "the mail server is down"));
            assertThat(toolCalls.decided(rejected)).hasValueSatisfying(d -> {
                assertThat(d.outcome())
                        .isEqualTo("[Tool result] A reviewer rejected your call to the tool 'send_mail', so it did not "
                                + "run. Their reason: too many mails today. Tell the user.");
                assertThat(d.metadata())
                        .containsExactly(Map.entry("tool", "send_mail"), Map.entry("state", "rejected"));
            });
            assertThat(toolCalls.decided(expired)).hasValueSatisfying(d -> {
                assertThat(d.outcome())
                        .isEqualTo("[Tool result] Your call to the tool 'send_mail' was not approved in time, so it "
                                + "did not run. Tell the user.");
                assertThat(d.metadata()).containsEntry("state", "expired");
            });
            assertThat(toolCalls.decided(pending)).isEmpty();
            assertThat(toolCalls.decided("no-such-proposal")).isEmpty();
            assertThat(toolCalls.stateOf(pending)).hasValue("pending");
            assertThat(toolCalls.stateOf(expired)).hasValue("expired");
            assertThat(toolCalls.stateOf("no-such-proposal")).isEmpty();
        }
    }

    @Test
    void decided_ofAProposalThatIsNoToolCall_isEmpty() {
        try (TestDatabase db = TestDatabases.of(database)) {
            ProposalService proposals =
                    new ProposalService(db.database(), Clock.systemUTC(), ApprovalConfig.defaults());
            ToolCallProposals toolCalls = new ToolCallProposals(proposals);
            Proposal enablement = proposals.propose(
                    new NewProposal(ProposalKind.PLUGIN_ENABLEMENT, "fitness-x", OptionalInt.empty(), Map.of()),
                    "key-admin");
            proposals.reject(enablement.id(), REVIEWER, "not today");

            assertThat(toolCalls.decided(enablement.id())).isEmpty();
        }
    }

    @Test
    void approvingATaskProposal_releasesTheTaskInTheApproval_andLeavesTellingTheConversationToTheTask()
            throws Exception {
        try (TestDatabase db = TestDatabases.of(database);
                PluginRuntime runtime = new PluginRuntime(
                        new PluginsConfig(dir.toString(), "", List.of(), Map.of()),
                        dir,
                        id -> Map.of(),
                        Clock.systemUTC())) {
            runtime.start(); // no plugins: the mail tool of the proposals below is gone
            ProposalService proposals =
                    new ProposalService(db.database(), Clock.systemUTC(), ApprovalConfig.defaults());
            ToolCallProposals toolCalls = new ToolCallProposals(proposals);
            String task = toolCalls.proposeTask("task-7", call("c-1"), SEND_MAIL, "mailer");
            String direct = toolCalls.propose(call("c-2"), SEND_MAIL, "mailer");
            Proposal pending = proposals.get(task);
            assertThat(pending.payload())
                    .containsEntry("task", "task-7")
                    .containsEntry("call", "c-1")
                    .containsEntry("plugin", "mailer")
                    .containsEntry("risk", "high");
            try (ToolExecutor executor =
                    new ToolExecutor(runtime, new ToolsConfig(30_000, 100, null, null), toolCalls)) {
                toolCalls.runApprovedWith(executor); // a tool executor, but no task executor yet

                assertThatThrownBy(() -> proposals.approve(task, REVIEWER, pending.sha256(), "ok"))
                        .isInstanceOf(ConflictException.class)
                        .hasMessage("proposal " + task + " releases task task-7 but no task executor is installed "
                                + "on this host; it stays pending");
                assertThat(toolCalls.stateOf(task)).hasValue("pending");
                assertThat(proposals
                                .approve(direct, REVIEWER, proposals.get(direct).sha256(), "ok")
                                .result())
                        .containsEntry("outcome", "failed")
                        .containsEntry("reason", "tool 'send_mail' is no longer available");
                assertThat(toolCalls.decided(direct))
                        .hasValueSatisfying(d -> assertThat(d.outcome())
                                .isEqualTo(
                                        "[Tool result] A reviewer approved your call to the tool 'send_mail', but it "
                                                + "failed: tool 'send_mail' is no longer available"));

                List<String> released = new ArrayList<>();
                toolCalls.releaseTasksWith(id -> {
                    released.add(id);
                    return Map.of("task", id, "outcome", "queued");
                });
                Proposal applied = proposals.approve(task, REVIEWER, pending.sha256(), "ok");

                assertThat(released).containsExactly("task-7");
                assertThat(applied.result()).isEqualTo(Map.of("task", "task-7", "outcome", "queued"));
                assertThat(toolCalls.decided(task))
                        .as("the task tells the conversation once it has run")
                        .isEmpty();
            }
        }
    }

    @Test
    void approvingAToolCall_withNoToolExecutorInstalled_isAConflictAndStaysPending() {
        try (TestDatabase db = TestDatabases.of(database)) {
            ProposalService proposals =
                    new ProposalService(db.database(), Clock.systemUTC(), ApprovalConfig.defaults());
            ToolCallProposals toolCalls = new ToolCallProposals(proposals);
            toolCalls.releaseTasksWith(id -> Map.of("task", id, "outcome", "queued"));
            String direct = toolCalls.propose(call("c-2"), SEND_MAIL, "mailer");

            assertThatThrownBy(() -> proposals.approve(
                            direct, REVIEWER, proposals.get(direct).sha256(), "ok"))
                    .isInstanceOf(ConflictException.class)
                    .hasMessage("no tool executor is installed on this host, so proposal " + direct
                            + " cannot run; it stays pending");
            assertThat(toolCalls.stateOf(direct)).hasValue("pending");
        }
    }

    @Test
    void onDecided_hearsOfEachDecidedToolCallOnTheGivenExecutor_andOnTransitionWakesForToolCallsOnly()
            throws Exception {
        try (TestDatabase db = TestDatabases.of(database)) {
            ProposalService proposals =
                    new ProposalService(db.database(), Clock.systemUTC(), ApprovalConfig.defaults());
            ToolCallProposals toolCalls = new ToolCallProposals(proposals);
            List<ToolCallProposals.Decided> heard = new ArrayList<>();
            List<Runnable> queued = new ArrayList<>();
            AtomicInteger wakes = new AtomicInteger();

            try (AutoCloseable decided = toolCalls.onDecided(heard::add, queued::add);
                    AutoCloseable transitions = toolCalls.onTransition(wakes::incrementAndGet)) {
                String id = toolCalls.propose(call("c-1"), SEND_MAIL, "mailer");
                assertThat(wakes).as("filed: a transition, not a decision").hasValue(1);
                assertThat(queued).isEmpty();

                Proposal other = proposals.propose(
                        new NewProposal(ProposalKind.PLUGIN_ENABLEMENT, "fitness-x", OptionalInt.empty(), Map.of()),
                        "key-admin");
                proposals.reject(other.id(), REVIEWER, "not today");
                assertThat(wakes).as("no wake for other kinds").hasValue(1);
                assertThat(queued).as("no decision for other kinds").isEmpty();

                proposals.reject(id, REVIEWER, "no mail today");
                assertThat(wakes).hasValue(2);
                assertThat(queued).hasSize(1);
                assertThat(heard)
                        .as("the listener runs on the executor, not on the deciding thread")
                        .isEmpty();

                queued.forEach(Runnable::run);
                assertThat(heard).singleElement().satisfies(d -> {
                    assertThat(d.proposal()).isEqualTo(id);
                    assertThat(d.metadata()).containsEntry("state", "rejected");
                });
            }
            String after = toolCalls.propose(call("c-2"), SEND_MAIL, "mailer");
            proposals.reject(after, REVIEWER, "closed handles hear nothing");
            assertThat(wakes).hasValue(2);
            assertThat(queued).hasSize(1);
        }
    }

    @Test
    void aDecision_whileTheExecutorRefusesWork_stillCommits() throws Exception {
        try (TestDatabase db = TestDatabases.of(database)) {
            ProposalService proposals =
                    new ProposalService(db.database(), Clock.systemUTC(), ApprovalConfig.defaults());
            ToolCallProposals toolCalls = new ToolCallProposals(proposals);
            String id = toolCalls.propose(call("c-1"), SEND_MAIL, "mailer");

            try (AutoCloseable decided = toolCalls.onDecided(d -> {}, task -> {
                throw new java.util.concurrent.RejectedExecutionException("the host is stopping");
            })) {
                assertThat(proposals.reject(id, REVIEWER, "stopping").state()).isEqualTo(ProposalState.REJECTED);
            }
            assertThat(toolCalls.decided(id)).isPresent();
        }
    }
}
