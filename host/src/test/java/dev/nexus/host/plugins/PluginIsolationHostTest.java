package dev.nexus.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.testing.PluginJar;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A broken plugin dropped into the plugin directory is reported failed; the host and other plugins keep working.
 * A connector nobody has set up yet is reported unconfigured, which is not a failure.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class PluginIsolationHostTest {

    @Parameter
    Database.Kind database;

    @TempDir
    Path plugins;

    @Test
    @SuppressWarnings("unchecked")
    void brokenJarInPluginDirectory_isListedAsRefused_whileHostAndOtherPluginsWork() throws Exception {
        PluginJar.builder("echo")
                .source("echo.EchoTool", PluginRuntimeTest.tool("echo", "echo", "return null;"))
                .extension("echo.EchoTool")
                .build(plugins);
        PluginJar.builder("crashy")
                .source(
                        "crashy.EchoTool",
                        PluginRuntimeTest.tool("crashy", "crashy", "return null;")
                                .replace(
                                        "public class EchoTool implements Tool {",
                                        "public class EchoTool implements Tool {\n public EchoTool() { throw new Error(\"boom\"); }"))
                .extension("crashy.EchoTool")
                .build(plugins);
        Files.write(plugins.resolve("corrupt.jar"), new byte[] {'P', 'K', 3, 4, 0, 0, 1});

        try (TestHost host = TestHost.builder()
                .database(database)
                .env("NEXUS_PLUGINS_DIRECTORY", plugins.toString())
                .start()) {
            var listed = host.http().get("/v1/plugins");
            assertThat(listed.statusCode()).isEqualTo(200);
            List<Map<String, Object>> rows =
                    (List<Map<String, Object>>) TestHttp.json(listed).get("plugins");

            assertThat(rows)
                    .extracting(row -> row.get("id") + "=" + row.get("state"))
                    .containsExactlyInAnyOrder("corrupt.jar=refused", "crashy=failed", "echo=started");
            assertThat(rows)
                    .filteredOn(row -> !row.get("state").equals("started"))
                    .isNotEmpty()
                    .allSatisfy(row -> assertThat((String) row.get("error")).isNotBlank());
            assertThat(rows)
                    .filteredOn(row -> row.get("id").equals("echo"))
                    .singleElement()
                    .satisfies(row -> assertThat(row.get("kinds")).isEqualTo(List.of("tool")));

            var health = host.http().get("/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(TestHttp.json(health).get("plugins").toString())
                    .contains("crashy")
                    .contains("corrupt.jar");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void connectorNobodySetUp_isUnconfigured_notAFailureInHealth_andNamesTheKeyToSet() throws Exception {
        PluginJar.builder("chatlink")
                .source(
                        "chatlink.EchoTool",
                        PluginRuntimeTest.toolStarting(
                                "chatlink",
                                "if (context.config().string(\"token\").isEmpty()) throw new"
                                        + " IllegalArgumentException(\"chatlink config 'token' is required:"
                                        + " set plugins.config.chatlink.token\");"))
                .extension("chatlink.EchoTool")
                .build(plugins);

        try (TestHost host = TestHost.builder()
                .database(database)
                .env("NEXUS_PLUGINS_DIRECTORY", plugins.toString())
                .start()) {
            List<Map<String, Object>> rows = (List<Map<String, Object>>)
                    TestHttp.json(host.http().get("/v1/plugins")).get("plugins");
            assertThat(rows).singleElement().satisfies(row -> {
                assertThat(row).containsEntry("state", "unconfigured");
                assertThat(row.get("error"))
                        .isEqualTo(
                                "not configured: chatlink config 'token' is required: set plugins.config.chatlink.token");
            });

            var health = host.http().get("/health");
            assertThat(health.statusCode()).isEqualTo(200);
            Map<String, Object> plugins =
                    (Map<String, Object>) TestHttp.json(health).get("plugins");
            assertThat(plugins).containsEntry("failed", List.of());
            assertThat(plugins.get("byState")).isEqualTo(Map.of("unconfigured", 1));
        }
    }
}
