package dev.nexus.plugin.httpfetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.testing.FakePluginContext;
import dev.nexus.api.tool.Tool;
import dev.nexus.api.tool.ToolContract;
import dev.nexus.host.db.Database;
import dev.nexus.host.testing.PackagedPlugin;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.tools.ToolApprovals;
import dev.nexus.host.tools.ToolExecutor;
import dev.nexus.host.tools.ToolOutcome;
import dev.nexus.host.tools.ToolsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packaged jar in the host's plugin runtime: the tool passes its contract as loaded by PF4J, and
 * the host's tool executor runs it with the configuration from the plugin's section.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class HttpFetchIT extends ToolContract {

    @Parameter
    Database.Kind database;

    private static LocalServer server;
    private static PackagedPlugin plugin;

    @BeforeAll
    static void load() throws IOException {
        server = new LocalServer();
        plugin = PackagedPlugin.start(
                Map.of("allowed-hosts", List.of("127.0.0.1"), "schemes", List.of("http")), Map.of());
    }

    @AfterAll
    static void unload() {
        plugin.close();
        server.close();
    }

    @Override
    protected Tool newTool() {
        return plugin.extension(Tool.class).extension();
    }

    @Override
    protected FakePluginContext newContext() {
        return FakePluginContext.builder("http-fetch")
                .config(Map.of("allowed-hosts", List.of("127.0.0.1"), "schemes", List.of("http")))
                .build();
    }

    @Override
    protected Optional<Map<String, Object>> workingArguments() {
        return Optional.of(Map.of("url", server.url("/hello")));
    }

    @Test
    void packagedJar_startsAsAToolPluginFromItsOwnClassLoader() {
        assertThat(plugin.info().state()).isEqualTo("started");
        assertThat(plugin.info().kinds()).containsExactly("tool");
        assertThat(newTool().spec().name()).isEqualTo("http_fetch");
        assertThat(newTool().getClass().getClassLoader()).isNotSameAs(getClass().getClassLoader());
    }

    @Test
    void toolExecutor_runsTheToolWithThePluginsOwnConfiguration() {
        try (ToolExecutor tools = new ToolExecutor(
                plugin.runtime(), new ToolsConfig(null, null, null, null), ToolApprovals.refuseAll())) {
            assertThat(tools.available()).extracting(spec -> spec.name()).containsExactly("http_fetch");

            ToolOutcome fetched =
                    tools.execute("c1", "http_fetch", "{\"url\":\"" + server.url("/json") + "\"}", "ada", "tutor");
            ToolOutcome refused =
                    tools.execute("c2", "http_fetch", "{\"url\":\"http://example.com/\"}", "ada", "tutor");
            ToolOutcome mistyped = tools.execute("c3", "http_fetch", "{\"url\":5}", "ada", "tutor");

            assertThat(fetched).isEqualTo(new ToolOutcome.Done("{\"answer\":42}", false));
            assertThat(refused)
                    .isEqualTo(new ToolOutcome.Failed(
                            "host 'example.com' is not in http-fetch's allowed-hosts; an"
                                    + " operator can add it under plugins.config.http-fetch.allowed-hosts",
                            false));
            assertThat(mistyped).isInstanceOf(ToolOutcome.Failed.class);
            assertThat(plugin.info().state()).isEqualTo("started");
        }
    }

    @Test
    void realHost_listsThePluginAsStarted(@TempDir Path dir) throws IOException {
        PackagedPlugin.installInto(dir.resolve("plugins"));
        Files.createDirectories(dir.resolve("data"));

        try (TestHost host = TestHost.builder()
                .database(database)
                .dataDir(dir.resolve("data"))
                .yaml("plugins: {directory: '" + dir.resolve("plugins")
                        + "', config: {http-fetch: {allowed-hosts: [127.0.0.1]}}}")
                .start()) {
            assertThat(PackagedPlugin.listed(host, "http-fetch"))
                    .containsEntry("state", "started")
                    .containsEntry("kinds", List.of("tool"));
        }
    }
}
