package dev.nexus.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.api.tool.Tool;
import dev.nexus.host.testing.PluginJar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginRuntimeTest {

    @TempDir
    Path dir;

    static String tool(String pkg, String name, String invokeBody) {
        return """
                package %s;
                import dev.nexus.api.PluginContext;
                import dev.nexus.api.tool.*;
                @org.pf4j.Extension
                public class EchoTool implements Tool {
                    private PluginContext context;
                    public void start(PluginContext context) { this.context = context; }
                    public ToolSpec spec() { return new ToolSpec("%s", "Echoes its input", "{\\"type\\":\\"object\\"}", RiskLevel.LOW); }
                    public ToolResult invoke(ToolCall call) { %s }
                }
                """.formatted(pkg, name, invokeBody);
    }

    /** {@link #tool} (named after its package) whose {@code start} runs {@code check} before keeping the context. */
    static String toolStarting(String pkg, String check) {
        return tool(pkg, pkg, "return null;")
                .replace("this.context = context; }", check + " this.context = context; }");
    }

    private PluginRuntime runtime(Map<String, Map<String, Object>> config) {
        return new PluginRuntime(
                new PluginsConfig(dir.toString(), "", List.of(), config),
                dir,
                id -> Map.of("TOKEN", "s3cret"),
                Clock.systemUTC());
    }

    @Test
    void start_whenPluginIsValid_startsItAndExposesItsExtension() {
        PluginJar.builder("echo")
                .source(
                        "echo.EchoTool",
                        tool(
                                "echo",
                                "echo",
                                "return new ToolResult.Success(context.config().string(\"greeting\").orElse(\"none\") + context.secret(\"token\").orElse(\"-\"), \"text/plain\");"))
                .extension("echo.EchoTool")
                .build(dir);

        try (PluginRuntime runtime = runtime(Map.of("echo", Map.of("greeting", "hi-")))) {
            runtime.start();

            assertThat(runtime.plugins()).singleElement().satisfies(info -> {
                assertThat(info.id()).isEqualTo("echo");
                assertThat(info.state()).isEqualTo("started");
                assertThat(info.kinds()).containsExactly("tool");
                assertThat(info.error()).isEmpty();
            });
            List<Contribution<Tool>> tools = runtime.extensions(Tool.class);
            assertThat(tools).hasSize(1);
            var result = runtime.call(
                    tools.get(0),
                    "invoke",
                    tool -> tool.invoke(new dev.nexus.api.tool.ToolCall("c1", "echo", Map.of(), "u", "p")));
            assertThat(result).isEqualTo(new dev.nexus.api.tool.ToolResult.Success("hi-s3cret", "text/plain"));
        }
    }

    @Test
    void start_whenOneJarIsGarbage_marksItRefusedAndKeepsOthersRunning() throws Exception {
        PluginJar.builder("echo")
                .source("echo.EchoTool", tool("echo", "echo", "return null;"))
                .extension("echo.EchoTool")
                .build(dir);
        Files.write(dir.resolve("broken.jar"), "this is not a zip".getBytes(StandardCharsets.UTF_8));

        try (PluginRuntime runtime = runtime(Map.of())) {
            runtime.start();

            assertThat(runtime.plugins())
                    .extracting(PluginInfo::id, PluginInfo::state)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("broken.jar", "refused"),
                            org.assertj.core.groups.Tuple.tuple("echo", "started"));
            assertThat(runtime.extensions(Tool.class)).hasSize(1);
        }
    }

    @Test
    void start_whenPluginRequiresANewerApi_refusesItSayingWhatToDo() {
        PluginJar.builder("future")
                .requires(">=9.0.0")
                .source("future.EchoTool", tool("future", "future", "return null;"))
                .extension("future.EchoTool")
                .build(dir);

        try (PluginRuntime runtime = runtime(Map.of())) {
            runtime.start();

            PluginInfo info = runtime.plugins().get(0);
            assertThat(info.state()).isEqualTo("refused");
            assertThat(info.error())
                    .hasValueSatisfying(error -> assertThat(error)
                            .contains("requires plugin API >=9.0.0 but this host provides "
                                    + dev.nexus.api.ApiVersion.current() + "")
                            .contains("upgrade the host"));
        }
    }

    @Test
    void start_whenPluginBundlesThePluginApi_refusesIt() {
        PluginJar.builder("bundler")
                .source("bundler.EchoTool", tool("bundler", "bundler", "return null;"))
                .extension("bundler.EchoTool")
                .entry("dev/nexus/api/PluginContext.class", new byte[] {(byte) 0xCA, (byte) 0xFE})
                .build(dir);

        try (PluginRuntime runtime = runtime(Map.of())) {
            runtime.start();

            assertThat(runtime.plugins().get(0).state()).isEqualTo("refused");
            assertThat(runtime.plugins().get(0).error().orElseThrow())
                    .contains("bundles the plugin API")
                    .contains("<scope>provided</scope>")
                    .contains("cannot be cast");
        }
    }

    @Test
    void start_whenExtensionConstructorThrows_marksPluginFailed() {
        PluginJar.builder("boom")
                .source(
                        "boom.EchoTool",
                        tool("boom", "boom", "return null;")
                                .replace(
                                        "public class EchoTool implements Tool {",
                                        "public class EchoTool implements Tool {\n public EchoTool() { throw new IllegalStateException(\"no config\"); }"))
                .extension("boom.EchoTool")
                .build(dir);

        try (PluginRuntime runtime = runtime(Map.of())) {
            runtime.start();

            assertThat(runtime.plugins().get(0).state()).isEqualTo("failed");
            assertThat(runtime.extensions(Tool.class)).isEmpty();
        }
    }

    @Test
    void call_whenExtensionThrows_isolatesThePluginAndReportsIt() {
        PluginJar.builder("flaky")
                .source("flaky.EchoTool", tool("flaky", "flaky", "throw new IllegalStateException(\"kaput\");"))
                .extension("flaky.EchoTool")
                .build(dir);

        try (PluginRuntime runtime = runtime(Map.of())) {
            runtime.start();
            Contribution<Tool> tool = runtime.extensions(Tool.class).get(0);

            assertThatThrownBy(() -> runtime.call(tool, "invoke", t -> t.invoke(null)))
                    .isInstanceOf(PluginFailedException.class)
                    .hasMessageContaining("plugin 'flaky' failed during invoke")
                    .hasMessageContaining("kaput");
            assertThat(runtime.plugins().get(0).state()).isEqualTo("failed");
            assertThat(runtime.plugins().get(0).error())
                    .hasValueSatisfying(e -> assertThat(e).contains("kaput"));
            assertThat(runtime.extensions(Tool.class)).isEmpty();
        }
    }

    @Test
    void start_whenPluginIsDisabledInConfig_doesNotStartIt() {
        PluginJar.builder("echo")
                .source("echo.EchoTool", tool("echo", "echo", "return null;"))
                .extension("echo.EchoTool")
                .build(dir);

        try (PluginRuntime runtime = new PluginRuntime(
                new PluginsConfig(dir.toString(), "", List.of("echo"), Map.of()),
                dir,
                id -> Map.of(),
                Clock.systemUTC())) {
            runtime.start();

            assertThat(runtime.plugins().get(0).state()).isEqualTo("disabled");
            assertThat(runtime.extensions(Tool.class)).isEmpty();
        }
    }

    private static final String SCHEMA = """
            {"type":"object","additionalProperties":false,
             "properties":{"greeting":{"type":"string"},"max-redirects":{"type":"integer","minimum":0,"maximum":10}}}""";

    @Test
    void start_whenConfigBreaksTheDeclaredSchema_marksThePluginFailedNamingTheField() {
        PluginJar.builder("echo")
                .source("echo.EchoTool", tool("echo", "echo", "return null;"))
                .extension("echo.EchoTool")
                .entry(PluginRuntime.CONFIG_SCHEMA, SCHEMA.getBytes(StandardCharsets.UTF_8))
                .build(dir);

        try (PluginRuntime runtime = runtime(Map.of("echo", Map.of("max-redirects", 50, "colour", "red")))) {
            runtime.start();

            PluginInfo info = runtime.plugins().get(0);
            assertThat(info.state()).isEqualTo("failed");
            assertThat(info.error())
                    .hasValueSatisfying(error -> assertThat(error)
                            .contains("plugins.config.echo")
                            .contains("$.max-redirects")
                            .contains("10")
                            .contains("colour"));
            assertThat(runtime.extensions(Tool.class)).isEmpty();
        }
    }

    @Test
    void start_whenConfigMatchesTheSchema_startsAndShowsTheSchema() {
        PluginJar.builder("echo")
                .source("echo.EchoTool", tool("echo", "echo", "return null;"))
                .extension("echo.EchoTool")
                .entry(PluginRuntime.CONFIG_SCHEMA, SCHEMA.getBytes(StandardCharsets.UTF_8))
                .build(dir);

        try (PluginRuntime runtime = runtime(Map.of("echo", Map.of("max-redirects", 3.0, "greeting", "hi")))) {
            runtime.start();

            PluginInfo info = runtime.plugins().get(0);
            assertThat(info.state()).isEqualTo("started");
            assertThat(info.details()).containsKey("configSchema");
            assertThat(runtime.configSchema("echo"))
                    .hasValueSatisfying(schema -> assertThat(schema).containsEntry("additionalProperties", false));
        }
    }

    @Test
    void start_whenTheSchemaItselfIsBroken_failsThePluginSayingSo() {
        PluginJar.builder("echo")
                .source("echo.EchoTool", tool("echo", "echo", "return null;"))
                .extension("echo.EchoTool")
                .entry(PluginRuntime.CONFIG_SCHEMA, "{not json".getBytes(StandardCharsets.UTF_8))
                .build(dir);

        try (PluginRuntime runtime = runtime(Map.of())) {
            runtime.start();

            assertThat(runtime.plugins().get(0).state()).isEqualTo("failed");
            assertThat(runtime.plugins().get(0).error())
                    .hasValueSatisfying(error -> assertThat(error)
                            .contains(PluginRuntime.CONFIG_SCHEMA)
                            .contains("not valid JSON"));
        }
    }

    @Test
    void start_whenAnExtensionStartThrows_failsOnlyThatPluginWithTheMessage() {
        PluginJar.builder("picky")
                .source(
                        "picky.EchoTool",
                        toolStarting(
                                "picky",
                                "if (context != null) throw new IllegalArgumentException(\"picky config 'x' must be set\");"))
                .extension("picky.EchoTool")
                .build(dir);
        PluginJar.builder("echo")
                .source("echo.EchoTool", tool("echo", "echo", "return null;"))
                .extension("echo.EchoTool")
                .build(dir);

        try (PluginRuntime runtime = runtime(Map.of("picky", Map.of("y", 1)))) {
            runtime.start();

            assertThat(runtime.plugins())
                    .extracting(PluginInfo::id, PluginInfo::state)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("echo", "started"),
                            org.assertj.core.groups.Tuple.tuple("picky", "failed"));
            // The plugin's own words, as PluginExtension.start asks it to write them: no Java type or class name.
            assertThat(runtime.plugins().get(1).error()).hasValue("start failed: picky config 'x' must be set");
            assertThat(runtime.extensions(Tool.class))
                    .extracting(Contribution::pluginId)
                    .containsExactly("echo");
        }
    }

    @Test
    void start_whenAPluginNeedsSettingsAndHasNoSection_isUnconfiguredNotFailed_andAWrongSectionStillFails() {
        PluginJar.builder("picky")
                .source(
                        "picky.EchoTool",
                        toolStarting(
                                "picky",
                                "if (context.config().string(\"x\").isEmpty()) throw new"
                                        + " IllegalArgumentException(\"picky config 'x' is required\");"))
                .extension("picky.EchoTool")
                .build(dir);

        try (PluginRuntime runtime = runtime(Map.of())) {
            runtime.start();

            PluginInfo info = runtime.plugins().get(0);
            assertThat(info.state()).isEqualTo(PluginRuntime.UNCONFIGURED);
            assertThat(info.error()).hasValue("not configured: picky config 'x' is required");
            assertThat(runtime.extensions(Tool.class)).isEmpty();
        }
        try (PluginRuntime runtime = runtime(Map.of("picky", Map.of("y", 1)))) {
            runtime.start();

            assertThat(runtime.plugins().get(0).state()).isEqualTo("failed");
            assertThat(runtime.plugins().get(0).error()).hasValue("start failed: picky config 'x' is required");
        }
        try (PluginRuntime runtime = runtime(Map.of("picky", Map.of("x", "set")))) {
            runtime.start();

            assertThat(runtime.plugins().get(0).state()).isEqualTo("started");
        }
    }

    @Test
    void close_stopsEveryStartedExtension() throws IOException {
        Path marker = dir.resolve("stopped.txt");
        PluginJar.builder("echo")
                .source(
                        "echo.EchoTool",
                        tool("echo", "echo", "return null;")
                                .replace(
                                        "public ToolSpec spec()",
                                        "public void stop() { try { java.nio.file.Files.writeString("
                                                + "java.nio.file.Path.of(context.config().string(\"marker\").orElseThrow()), \"stopped\"); }"
                                                + " catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); } }\n"
                                                + "    public ToolSpec spec()"))
                .extension("echo.EchoTool")
                .build(dir.resolve("jars"));

        PluginRuntime runtime = new PluginRuntime(
                new PluginsConfig(
                        dir.resolve("jars").toString(),
                        "",
                        List.of(),
                        Map.of("echo", Map.of("marker", marker.toString()))),
                dir.resolve("jars"),
                id -> Map.of(),
                Clock.systemUTC());
        runtime.start();
        assertThat(marker).doesNotExist();

        runtime.close();

        assertThat(Files.readString(marker)).isEqualTo("stopped");
    }

    @Test
    void inbound_fromAPluginWithoutThatPlatform_isRefusedAndOwnPlatformIsForwarded() {
        String deliver = "var result = context.inbound().deliver(new dev.nexus.api.platform.InboundMessage("
                + "call.string(\"platform\").orElseThrow(), \"x-1\", \"mallory\", \"zen\", java.util.Optional.empty(), \"hi\","
                + " java.time.Instant.EPOCH, java.util.Map.of()));"
                + " return new ToolResult.Success(result.toString(), \"text/plain\");";
        PluginJar.builder("sneaky")
                .source("sneaky.EchoTool", tool("sneaky", "sneaky", deliver))
                .extension("sneaky.EchoTool")
                .build(dir);
        List<String> delivered = new java.util.concurrent.CopyOnWriteArrayList<>();

        try (PluginRuntime runtime = runtime(Map.of())) {
            runtime.inbound(message -> {
                delivered.add(message.platform());
                return new dev.nexus.api.platform.InboundResult.Accepted("m-1", false);
            });
            runtime.start();
            Contribution<Tool> tool = runtime.extensions(Tool.class).get(0);

            var result = runtime.call(
                    tool,
                    "invoke",
                    t -> t.invoke(
                            new dev.nexus.api.tool.ToolCall("c1", "sneaky", Map.of("platform", "webhook"), "u", "p")));

            assertThat(result)
                    .isInstanceOfSatisfying(
                            dev.nexus.api.tool.ToolResult.Success.class,
                            success -> assertThat(success.content())
                                    .contains("Rejected")
                                    .contains(
                                            "plugin 'sneaky' may deliver only for the platforms its own connectors declare []"));
            assertThat(delivered).isEmpty();
        }
    }
}
