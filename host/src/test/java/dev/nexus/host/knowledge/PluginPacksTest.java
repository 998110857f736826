package dev.nexus.host.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.llm.WordEmbedder;
import dev.nexus.host.plugins.PluginInfo;
import dev.nexus.host.plugins.PluginRuntime;
import dev.nexus.host.plugins.PluginsConfig;
import dev.nexus.host.testing.PluginJar;
import dev.nexus.host.testing.TestDatabase;
import dev.nexus.host.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Packs from real plugin jars in a real plugin runtime; a provider that throws is isolated. */
@ParameterizedClass
@MethodSource(TestDatabases.KINDS)
class PluginPacksTest {

    @Parameter
    Database.Kind database;

    @TempDir
    Path plugins;

    @TempDir
    Path files;

    private static String provider(String pkg, String body) {
        return """
                package %s;
                import dev.nexus.api.PluginContext;
                import dev.nexus.api.knowledge.*;
                import java.util.List;
                @org.pf4j.Extension
                public class Packs implements KnowledgePackProvider {
                    public List<KnowledgePack> packs() { %s }
                }
                """.formatted(pkg, body);
    }

    @Test
    void fromPlugins_listsEachStartedProvidersPacks_andSkipsOneThatThrows() {
        PluginJar.builder("finance-kit")
                .source("fin.Packs", provider("fin", """
                return List.of(new KnowledgePack("plugin-finance", "Finance", "2.0.0", "finance", List.of("budget"),
                        List.of("Pay yourself first."), List.of(LoreEntry.simple("debt", List.of("debt"), "Pay the highest rate first."))));
                """))
                .extension("fin.Packs")
                .build(plugins);
        PluginJar.builder("broken-kit")
                .source("bad.Packs", provider("bad", "throw new IllegalStateException(\"boom\");"))
                .extension("bad.Packs")
                .build(plugins);

        try (PluginRuntime runtime = new PluginRuntime(
                        new PluginsConfig(plugins.toString(), "", List.of(), Map.of()),
                        plugins,
                        id -> Map.of(),
                        Clock.systemUTC());
                TestDatabase db = TestDatabases.of(database)) {
            runtime.start();
            KnowledgeService knowledge = new KnowledgeService(
                    KnowledgeSettings.defaults(),
                    files,
                    KnowledgeService.fromPlugins(runtime),
                    db.database(),
                    new WordEmbedder(),
                    Clock.systemUTC());

            knowledge.reload();

            assertThat(knowledge.packs()).singleElement().satisfies(p -> {
                assertThat(p.id()).isEqualTo("plugin-finance");
                assertThat(p.origin()).isEqualTo("plugin");
                assertThat(p.source()).isEqualTo("finance-kit");
                assertThat(p.version()).isEqualTo("2.0.0");
            });
            assertThat(runtime.plugins())
                    .filteredOn(i -> i.id().equals("broken-kit"))
                    .extracting(PluginInfo::state)
                    .containsExactly("failed");
        }
    }
}
