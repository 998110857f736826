package dev.nexus.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.testing.PluginJar;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An admin switches a code plugin off and on at run time ({@code POST /v1/plugins/{id}/disable|enable}):
 * its tool disappears from the features at once and comes back, the choice survives a restart, and
 * what cannot be switched is refused with 404/409 naming the reason.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class PluginSwitchesHostTest {

    @Parameter
    Database.Kind database;

    @TempDir
    Path plugins;

    @TempDir
    Path data;

    @Test
    void disabledPlugin_losesItsTool_staysOffAfterARestart_andComesBackWhenEnabled() {
        PluginJar.builder("echo")
                .source("echo.EchoTool", PluginRuntimeTest.tool("echo", "echo", "return null;"))
                .extension("echo.EchoTool")
                .build(plugins);

        try (TestHost host = start()) {
            assertThat(toolNames(host)).contains("echo");

            HttpResponse<String> off = host.http().post("/v1/plugins/echo/disable", "");

            assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
            assertThat(TestHttp.json(off)).containsEntry("state", "disabled");
            assertThat(toolNames(host)).doesNotContain("echo");
            assertThat(host.http()
                            .post("/v1/tools/echo/invoke", "{\"arguments\":{}}")
                            .statusCode())
                    .isEqualTo(404);
            assertThat(state(host, "echo")).isEqualTo("disabled");
        }
        try (TestHost host = start()) {
            assertThat(state(host, "echo"))
                    .as("the switch is stored, not kept in memory")
                    .isEqualTo("disabled");
            assertThat(toolNames(host)).doesNotContain("echo");

            HttpResponse<String> on = host.http().post("/v1/plugins/echo/enable", "");

            assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
            assertThat(TestHttp.json(on)).containsEntry("state", "started");
            assertThat(toolNames(host)).contains("echo");
            assertThat(host.http().post("/v1/plugins/echo/enable", "").statusCode())
                    .as("enabling twice is harmless")
                    .isEqualTo(200);
            assertThat(TestHttp.json(host.http()
                                    .get("/v1/audit?action="
                                            + java.net.URLEncoder.encode(
                                                    "POST /v1/plugins/{id}/disable",
                                                    java.nio.charset.StandardCharsets.UTF_8)))
                            .get("entries"))
                    .asList()
                    .hasSize(1);
        }
        try (TestHost host = start()) {
            assertThat(state(host, "echo")).isEqualTo("started");
        }
    }

    @Test
    void failedPlugin_isRestartedByEnable_andWhatCannotBeSwitchedIsRefused() throws Exception {
        PluginJar.builder("flaky")
                .source(
                        "flaky.EchoTool",
                        PluginRuntimeTest.tool("flaky", "flaky", "throw new IllegalStateException(\"upstream gone\");"))
                .extension("flaky.EchoTool")
                .build(plugins);
        java.nio.file.Files.write(plugins.resolve("corrupt.jar"), new byte[] {'P', 'K', 3, 4, 0, 0, 1});

        try (TestHost host = start()) {
            host.http().post("/v1/tools/flaky/invoke", "{\"arguments\":{}}");
            assertThat(state(host, "flaky"))
                    .as("a plugin that throws is isolated")
                    .isEqualTo("failed");

            HttpResponse<String> restarted = host.http().post("/v1/plugins/flaky/enable", "");

            assertThat(restarted.statusCode()).as(restarted.body()).isEqualTo(200);
            assertThat(TestHttp.json(restarted)).containsEntry("state", "started");
            assertThat(toolNames(host)).contains("flaky");

            HttpResponse<String> unknown = host.http().post("/v1/plugins/nope/disable", "");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("GET /v1/plugins");
            HttpResponse<String> refused = host.http().post("/v1/plugins/corrupt.jar/enable", "");
            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(refused.body()).contains("refused").contains("fix the jar");
        }
    }

    @Test
    void configurationDisabledPlugin_cannotBeEnabledThroughTheApi() {
        PluginJar.builder("echo")
                .source("echo.EchoTool", PluginRuntimeTest.tool("echo", "echo", "return null;"))
                .extension("echo.EchoTool")
                .build(plugins);

        try (TestHost host = TestHost.builder()
                .database(database)
                .dataDir(data)
                .env("NEXUS_PLUGINS_DIRECTORY", plugins.toString())
                .yaml("plugins: {disabled: [echo]}")
                .start()) {
            HttpResponse<String> on = host.http().post("/v1/plugins/echo/enable", "");

            assertThat(on.statusCode()).isEqualTo(409);
            assertThat(on.body()).contains("plugins.disabled");
            assertThat(state(host, "echo")).isEqualTo("disabled");
        }
    }

    private TestHost start() {
        return TestHost.builder()
                .database(database)
                .dataDir(data)
                .env("NEXUS_PLUGINS_DIRECTORY", plugins.toString())
                .start();
    }

    @SuppressWarnings("unchecked")
    private static List<String> toolNames(TestHost host) {
        List<Map<String, Object>> tools = (List<Map<String, Object>>)
                TestHttp.json(host.http().get("/v1/tools")).get("tools");
        return tools.stream().map(tool -> (String) tool.get("name")).toList();
    }

    @SuppressWarnings("unchecked")
    private static String state(TestHost host, String id) {
        List<Map<String, Object>> rows = (List<Map<String, Object>>)
                TestHttp.json(host.http().get("/v1/plugins")).get("plugins");
        return rows.stream()
                .filter(row -> row.get("id").equals(id))
                .map(row -> (String) row.get("state"))
                .findFirst()
                .orElseThrow();
    }
}
