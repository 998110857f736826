package dev.nexus.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.knowledge.KnowledgePack;
import dev.nexus.api.knowledge.KnowledgePackProvider;
import dev.nexus.api.personality.PersonalityBundle;
import dev.nexus.api.personality.PersonalityProvider;
import dev.nexus.api.platform.HttpInbound;
import dev.nexus.api.platform.HttpReply;
import dev.nexus.api.platform.InboundMessage;
import dev.nexus.api.platform.InboundResult;
import dev.nexus.api.platform.PlatformConnector;
import dev.nexus.api.tool.Tool;
import dev.nexus.api.tool.ToolCall;
import dev.nexus.api.tool.ToolResult;
import dev.nexus.host.testing.PluginJar;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps docs/plugin-guide.md honest: every Java block that starts with {@code package} is compiled
 * together with PF4J's annotation processor (as a plugin build does), packaged as a plugin jar with
 * the generated {@code META-INF/extensions.idx}, loaded into a real {@link PluginRuntime} and called.
 * The README's "Write your first plugin" example is compiled the same way.
 */
class PluginGuideTest {

    private static final Path GUIDE = Path.of("..", "docs", "plugin-guide.md");
    private static final Path README = Path.of("..", "README.md");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(package .*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void firstPluginExample_isUnderThirtyLines() throws IOException {
        String guide = Files.readString(GUIDE);
        String section = guide.substring(guide.indexOf("## Write your first plugin in under 30 lines"));

        List<String> blocks = javaBlocks(section);

        assertThat(blocks.get(0)).contains("class WordCount implements Tool");
        assertThat(blocks.get(0).lines().count()).isLessThan(30);
    }

    @Test
    void readmeFirstPlugin_compilesWithTheProcessor() throws IOException {
        String readme = Files.readString(README);
        List<String> blocks = javaBlocks(readme.substring(readme.indexOf("## Write your first plugin")));

        Path classes = compile(List.of(blocks.get(0)));

        assertThat(Files.readString(classes.resolve("META-INF/extensions.idx")).strip())
                .isNotEmpty();
    }

    @Test
    void everyExample_compilesAndLoadsAsAPlugin() throws IOException {
        Path classes = compile(javaBlocks(Files.readString(GUIDE)));
        assertThat(Files.readString(classes.resolve("META-INF/extensions.idx")))
                .contains(
                        "com.example.words.WordCount",
                        "com.example.tea.TeaPacks",
                        "com.example.persona.Lighthouse",
                        "com.example.relay.Relay",
                        "com.example.guard.CardRedactor");
        PluginJar jar = PluginJar.builder("guide-examples");
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(f -> !f.toString().endsWith("Test.class"))
                    .toList()) {
                jar.entry(classes.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
        }
        Path plugins = dir.resolve("plugins");
        jar.build(plugins);
        List<InboundMessage> inbound = new CopyOnWriteArrayList<>();

        try (PluginRuntime runtime = new PluginRuntime(
                new PluginsConfig(plugins.toString(), "", List.of(), Map.of()),
                plugins,
                id -> Map.of("TOKEN", "shared-token"),
                Clock.systemUTC())) {
            runtime.inbound(message -> {
                inbound.add(message);
                return new InboundResult.Accepted("m-1", false);
            });
            runtime.start();

            assertThat(runtime.plugins()).singleElement().satisfies(info -> {
                assertThat(info.state()).isEqualTo("started");
                assertThat(info.kinds())
                        .containsExactlyInAnyOrder("platform", "knowledge", "tool", "personality", "turn-filter");
            });
            Tool words = runtime.extensions(Tool.class).get(0).extension();
            assertThat(words.invoke(new ToolCall("c", "word_count", Map.of("text", " one two  three "), "u", "p")))
                    .isEqualTo(new ToolResult.Success("3", "text/plain"));
            List<KnowledgePack> packs = runtime.extensions(KnowledgePackProvider.class)
                    .get(0)
                    .extension()
                    .packs();
            assertThat(packs).extracting(KnowledgePack::id).containsExactly("tea");
            List<PersonalityBundle> bundles = runtime.extensions(PersonalityProvider.class)
                    .get(0)
                    .extension()
                    .personalities();
            assertThat(bundles).extracting(PersonalityBundle::id).containsExactly("lighthouse-keeper");
            PlatformConnector relay =
                    runtime.extensions(PlatformConnector.class).get(0).extension();
            // The runtime has started every extension with its context; it stops them on close.
            HttpReply reply = relay.handle(new HttpInbound(
                            "POST",
                            "/",
                            Map.of("X-Token", List.of("shared-token"), "X-Message-Id", List.of("r-1")),
                            "hello".getBytes(StandardCharsets.UTF_8)))
                    .orElseThrow();
            HttpReply refused = relay.handle(new HttpInbound(
                            "POST", "/", Map.of("X-Token", List.of("wrong")), "hello".getBytes(StandardCharsets.UTF_8)))
                    .orElseThrow();
            assertThat(reply.status()).isEqualTo(202);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(inbound).singleElement().extracting(InboundMessage::text).isEqualTo("hello");
        }
    }

    private Path compile(List<String> blocks) throws IOException {
        Path sources = dir.resolve("src");
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        List<String> args = new ArrayList<>(List.of(
                "--release",
                "21",
                "-proc:full",
                "-d",
                classes.toString(),
                "-cp",
                System.getProperty("java.class.path")));
        for (String block : blocks) {
            Matcher pkg = Pattern.compile("package ([\\w.]+);").matcher(block);
            Matcher type =
                    Pattern.compile("(?m)^(?:public )?(?:final )?class (\\w+)").matcher(block);
            assertThat(pkg.find() && type.find())
                    .as("a package and a class in:\n%s", block)
                    .isTrue();
            Path file = sources.resolve(pkg.group(1).replace('.', '/')).resolve(type.group(1) + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, block);
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, null, errors, args.toArray(String[]::new));
        assertThat(status)
                .as("javac output:\n%s", errors.toString(StandardCharsets.UTF_8))
                .isZero();
        return classes;
    }

    private static List<String> javaBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher matcher = JAVA_BLOCK.matcher(markdown);
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        return blocks;
    }
}
