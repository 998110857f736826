package dev.nexus.plugin.knowledgestarter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.knowledge.KnowledgePack;
import dev.nexus.api.knowledge.KnowledgePackProvider;
import dev.nexus.api.knowledge.KnowledgePackProviderContract;
import dev.nexus.host.db.Database;
import dev.nexus.host.plugins.Contribution;
import dev.nexus.host.testing.PackagedPlugin;
import dev.nexus.host.testing.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The packaged jar, loaded by the host's plugin runtime: it starts, and its extension passes the contract. */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class StarterPacksIT extends KnowledgePackProviderContract {

    @Parameter
    Database.Kind database;

    private static PackagedPlugin plugin;

    @BeforeAll
    static void load() {
        plugin = PackagedPlugin.start(Map.of(), Map.of());
    }

    @AfterAll
    static void unload() {
        plugin.close();
    }

    @Override
    protected KnowledgePackProvider newProvider() {
        return plugin.extension(KnowledgePackProvider.class).extension();
    }

    @Test
    void packagedJar_startsAsAKnowledgePluginFromItsOwnClassLoader() {
        assertThat(plugin.info().state()).isEqualTo("started");
        assertThat(plugin.info().kinds()).containsExactly("knowledge");
        assertThat(plugin.info().error()).isEmpty();
        assertThat(plugin.info().version()).isEqualTo("0.1.0");
        assertThat(newProvider().getClass().getClassLoader())
                .isNotSameAs(getClass().getClassLoader());
    }

    @Test
    void packs_throughTheRuntime_areTheThreeStarterPacks() {
        Contribution<KnowledgePackProvider> provider = plugin.extension(KnowledgePackProvider.class);

        List<KnowledgePack> packs = plugin.runtime().call(provider, "packs", KnowledgePackProvider::packs);

        assertThat(packs)
                .extracting(KnowledgePack::id)
                .containsExactly("personal-finance", "software-engineering", "career");
        assertThat(packs).allSatisfy(pack -> assertThat(pack.facts()).hasSizeGreaterThanOrEqualTo(15));
    }

    @Test
    void realHost_listsThePluginAsStarted(@TempDir Path dir) throws Exception {
        PackagedPlugin.installInto(dir.resolve("plugins"));
        Files.createDirectories(dir.resolve("data"));

        try (TestHost host = TestHost.builder()
                .database(database)
                .dataDir(dir.resolve("data"))
                .yaml("plugins: {directory: '" + dir.resolve("plugins") + "'}")
                .start()) {
            assertThat(PackagedPlugin.listed(host, "knowledge-starter"))
                    .containsEntry("state", "started")
                    .containsEntry("kinds", List.of("knowledge"));
        }
    }
}
