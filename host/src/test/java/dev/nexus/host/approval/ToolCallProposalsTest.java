package dev.nexus.host.approval;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.Map;
import java.util.Set;
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
}
