package dev.nexus.host.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.ToolCall;
import dev.nexus.host.plugins.PluginRuntime;
import dev.nexus.host.plugins.PluginsConfig;
import dev.nexus.host.testing.PluginJar;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolExecutorTest {

    @TempDir
    Path dir;

    PluginRuntime runtime;
    ToolExecutor executor;
    final List<ToolCall> proposed = new ArrayList<>();

    static String tool(String cls, String name, String risk, String schema, String body) {
        return """
                package tools;
                import dev.nexus.api.PluginContext;
                import dev.nexus.api.tool.*;
                @org.pf4j.Extension
                public class %s implements Tool {
                    public ToolSpec spec() { return new ToolSpec("%s", "test tool", %s, RiskLevel.%s); }
                    public ToolResult invoke(ToolCall call) { %s }
                }
                """.formatted(cls, name, "\"" + schema.replace("\"", "\\\"") + "\"", risk, body);
    }

    @BeforeEach
    void start() {
        String schema = "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\",\"maxLength\":20},"
                + "\"times\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":3}},\"required\":[\"text\"],\"additionalProperties\":false}";
        PluginJar.builder("tools")
                .source(
                        "tools.Echo",
                        tool(
                                "Echo",
                                "echo",
                                "LOW",
                                schema,
                                "return new ToolResult.Success(call.string(\"text\").orElse(\"\").repeat(((Number) call.arguments().getOrDefault(\"times\", 1)).intValue()), \"text/plain\");"))
                .source(
                        "tools.Send",
                        tool(
                                "Send",
                                "send_mail",
                                "HIGH",
                                "{\"type\":\"object\"}",
                                "return new ToolResult.Success(\"sent\", \"text/plain\");"))
                .source(
                        "tools.Slow",
                        tool(
                                "Slow",
                                "slow",
                                "LOW",
                                "{\"type\":\"object\"}",
                                "try { Thread.sleep(10_000); } catch (InterruptedException e) { return new ToolResult.Failure(\"interrupted\", true); } return null;"))
                .source(
                        "tools.Big",
                        tool(
                                "Big",
                                "big",
                                "LOW",
                                "{\"type\":\"object\"}",
                                "return new ToolResult.Success(\"x\".repeat(1000), \"text/plain\");"))
                .source(
                        "tools.Broken",
                        tool(
                                "Broken",
                                "broken",
                                "LOW",
                                "{\"type\":\"object\"}",
                                "throw new IllegalStateException(\"bug\");"))
                .extension("tools.Echo")
                .extension("tools.Send")
                .extension("tools.Slow")
                .extension("tools.Big")
                .extension("tools.Broken")
                .build(dir);
        runtime = new PluginRuntime(
                new PluginsConfig(dir.toString(), "", List.of(), Map.of()), dir, id -> Map.of(), Clock.systemUTC());
        runtime.start();
        executor = executor(SUCCESS_TIMEOUT_MILLIS);
    }

    /**
     * Success paths run under a timeout no busy two-core machine reaches; only the timeout test uses a
     * short one, against a tool that sleeps far longer.
     */
    private static final int SUCCESS_TIMEOUT_MILLIS = 30_000;

    private ToolExecutor executor(int timeoutMillis) {
        return new ToolExecutor(runtime, new ToolsConfig(timeoutMillis, 100, null, null), (call, spec, plugin) -> {
            proposed.add(call);
            return "proposal-1";
        });
    }

    @AfterEach
    void stop() {
        executor.close();
        runtime.close();
    }

    @Test
    void available_listsEveryToolOnce() {
        assertThat(executor.available())
                .extracting(spec -> spec.name())
                .containsExactlyInAnyOrder("echo", "send_mail", "slow", "big", "broken");
    }

    @Test
    void execute_withValidArguments_runsTheTool() {
        assertThat(executor.execute("c1", "echo", "{\"text\":\"ab\",\"times\":2}", "u", "p"))
                .isEqualTo(new ToolOutcome.Done("abab", false));
    }

    @Test
    void execute_withArgumentsOutsideTheSchema_failsNamingEachProblem() {
        ToolOutcome outcome = executor.execute("c1", "echo", "{\"times\":9,\"extra\":1}", "u", "p");

        assertThat(outcome).isInstanceOf(ToolOutcome.Failed.class);
        assertThat(outcome.forModel())
                .contains("$: required property 'text' not found")
                .contains("$.times: must have a maximum value of 3")
                .contains("'extra' is not defined in the schema");
    }

    @Test
    void execute_withMalformedArguments_failsWithoutRunning() {
        assertThat(executor.execute("c1", "echo", "{\"text\":", "u", "p").forModel())
                .contains("not a JSON object");
    }

    @Test
    void execute_unknownTool_failsListingTheAvailableOnes() {
        assertThat(executor.execute("c1", "rm_rf", "{}", "u", "p").forModel())
                .contains("no tool named 'rm_rf'")
                .contains("echo");
    }

    @Test
    void execute_highRiskTool_goesToApprovalAndDoesNotRun() {
        ToolOutcome outcome = executor.execute("c1", "send_mail", "{}", "alice", "bot");

        assertThat(outcome).isEqualTo(new ToolOutcome.AwaitingApproval("proposal-1"));
        assertThat(outcome.forModel()).contains("has NOT been carried out");
        assertThat(proposed)
                .singleElement()
                .satisfies(call -> assertThat(call.user()).isEqualTo("alice"));
        assertThat(executor.runApproved(proposed.get(0))).isEqualTo(new ToolOutcome.Done("sent", false));
    }

    @Test
    void execute_slowTool_timesOutAsRetriable() {
        try (ToolExecutor impatient = executor(300)) {
            assertThat(impatient.execute("c1", "slow", "{}", "u", "p"))
                    .isEqualTo(new ToolOutcome.Failed("tool 'slow' did not answer within 300 ms", true));
        }
    }

    @Test
    void execute_longResult_isTruncatedForTheModel() {
        ToolOutcome outcome = executor.execute("c1", "big", "{}", "u", "p");

        assertThat(outcome).isEqualTo(new ToolOutcome.Done("x".repeat(100), true));
        assertThat(outcome.forModel()).endsWith("[result truncated]");
    }

    @Test
    void execute_throwingTool_isolatesItsPluginAndReportsTheFailure() {
        ToolOutcome outcome = executor.execute("c1", "broken", "{}", "u", "p");

        assertThat(outcome.forModel()).contains("plugin 'tools' failed").contains("bug");
        assertThat(executor.available()).isEmpty();
    }

    @Test
    void toolsConfig_refusesToRunHighRiskWithoutApproval() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new ToolsConfig(null, null, List.of(RiskLevel.MEDIUM), null))
                .hasMessageContaining("approval-for must include HIGH");
    }
}
