package dev.nexus.host.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.testing.PluginJar;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code POST /v1/tools/{name}/invoke} on the real host with a real plugin jar and no model: the call
 * takes the model's path (schema check, approval for risky tools, time limit), so what a plugin author
 * sees here is what a personality's call would get.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class ToolInvokeTest {

    /** The backend this invocation runs on (also handed to {@code start}). */
    @Parameter
    Database.Kind database;

    @TempDir
    static Path dir;

    static TestHost host;

    static String tool(String cls, String name, String risk, String schema, String body) {
        return """
                package weather;
                import dev.nexus.api.tool.*;
                @org.pf4j.Extension
                public class %s implements Tool {
                    public ToolSpec spec() { return new ToolSpec("%s", "test tool %s", "%s", RiskLevel.%s); }
                    public ToolResult invoke(ToolCall call) { %s }
                }
                """.formatted(cls, name, name, schema.replace("\"", "\\\""), risk, body);
    }

    @BeforeAll
    static void buildPlugin() throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJar.builder("weather")
                .source(
                        "weather.Forecast",
                        tool(
                                "Forecast",
                                "forecast",
                                "LOW",
                                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"],\"additionalProperties\":false}",
                                "return new ToolResult.Success(\"sunny in \" + call.string(\"city\").orElse(\"?\") + \" for \" + call.user(), \"text/plain\");"))
                .source(
                        "weather.Send",
                        tool(
                                "Send",
                                "send_mail",
                                "HIGH",
                                "{\"type\":\"object\"}",
                                "return new ToolResult.Success(\"sent\", \"text/plain\");"))
                .extension("weather.Forecast")
                .extension("weather.Send")
                .build(plugins);
    }

    @BeforeParameterizedClassInvocation
    static void start(Database.Kind database) {
        host = TestHost.builder()
                .database(database)
                .env("NEXUS_PLUGINS_DIRECTORY", dir.resolve("plugins").toString())
                .start();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void invoke_aLowRiskToolWithValidArguments_runsItAndReturnsTheContent() {
        HttpResponse<String> response =
                host.http().post("/v1/tools/forecast/invoke", "{\"arguments\":{\"city\":\"Oslo\"},\"user\":\"ada\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(TestHttp.json(response))
                .containsEntry("outcome", "done")
                .containsEntry("content", "sunny in Oslo for ada")
                .containsEntry("tool", "forecast");
    }

    @Test
    void invoke_withArgumentsTheSchemaRefuses_failsNamingTheField_andDoesNotRun() {
        HttpResponse<String> response =
                host.http().post("/v1/tools/forecast/invoke", "{\"arguments\":{\"town\":\"Oslo\"}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(TestHttp.json(response))
                .containsEntry("outcome", "failed")
                .containsEntry("retriable", false)
                .hasEntrySatisfying(
                        "reason", reason -> assertThat((String) reason).contains("city"));
    }

    @Test
    void invoke_aHighRiskTool_waitsForApprovalLikeAModelsCall() {
        HttpResponse<String> response = host.http().post("/v1/tools/send_mail/invoke", "{}");
        Map<String, Object> body = TestHttp.json(response);
        HttpResponse<String> proposal = host.http().get("/v1/proposals/" + body.get("proposalId"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(body).containsEntry("outcome", "awaiting-approval");
        assertThat(proposal.statusCode()).as(proposal.body()).isEqualTo(200);
        assertThat(TestHttp.json(proposal)).containsEntry("state", "pending");
    }

    @Test
    void invoke_anUnknownTool_is404NamingWhereToLook() {
        HttpResponse<String> response = host.http().post("/v1/tools/nope/invoke", "{}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        assertThat(response.body()).contains("GET /v1/tools");
    }

    @Test
    @SuppressWarnings("unchecked")
    void list_showsEachToolWithItsRiskAndSchema() {
        HttpResponse<String> response = host.http().get("/v1/tools");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat((List<Map<String, Object>>) TestHttp.json(response).get("tools"))
                .extracting(tool -> tool.get("name") + ":" + tool.get("risk"))
                .containsExactlyInAnyOrder("forecast:low", "send_mail:high");
    }
}
