package dev.nexus.host.approval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.auth.Caller;
import dev.nexus.host.auth.Scope;
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

class ToolCallProposalsTest {

    @TempDir
    Path dir;

    @Test
    void riskyToolCall_waitsForApprovalThenRunsOnce() {
        PluginJar.builder("mailer")
                .source("mailer.Send", """
                        package mailer;
                        import dev.nexus.api.PluginContext;
                        import dev.nexus.api.tool.*;
                        @org.pf4j.Extension
                        public class Send implements Tool {
                            public ToolSpec spec() { return new ToolSpec("send_mail", "sends mail", "{\\"type\\":\\"object\\"}", RiskLevel.HIGH); }
                            public ToolResult invoke(ToolCall call) {
                                return new ToolResult.Success("sent to " + call.string("to").orElse("?"), "text/plain");
                            }
                        }
                        """)
                .extension("mailer.Send")
                .build(dir);
        try (TestDatabase db = TestDatabases.h2();
                PluginRuntime runtime = new PluginRuntime(new PluginsConfig(dir.toString(), "", List.of(), Map.of()), dir,
                        id -> Map.of(), Clock.systemUTC())) {
            runtime.start();
            ProposalService proposals = new ProposalService(db.database(), Clock.systemUTC(), ApprovalConfig.defaults());
            ToolCallProposals toolCalls = new ToolCallProposals(proposals);
            try (ToolExecutor executor = new ToolExecutor(runtime, new ToolsConfig(300, 100, null, null), toolCalls)) {
                toolCalls.runApprovedWith(executor);

                ToolOutcome outcome = executor.execute("call-1", "send_mail", "{\"to\":\"ann\"}", "ann", "sage");

                String id = ((ToolOutcome.AwaitingApproval) outcome).proposalId();
                Proposal pending = proposals.get(id);
                assertThat(pending.kind()).isEqualTo(ProposalKind.TOOL_CALL);
                assertThat(pending.proposer()).isEqualTo("system:tools");
                assertThat(pending.payload()).containsEntry("tool", "send_mail").containsEntry("risk", "high")
                        .containsEntry("arguments", Map.of("to", "ann"));
                Caller reviewer = new Caller("key-r", "reviewer", Set.of(Scope.APPROVER));
                Proposal applied = proposals.approve(id, reviewer, pending.sha256(), "ann asked for it");
                assertThat(applied.result()).containsEntry("outcome", "done").containsEntry("content", "sent to ann");
            }
        }
    }
}
