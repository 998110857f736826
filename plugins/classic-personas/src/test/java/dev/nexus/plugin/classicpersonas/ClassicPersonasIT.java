package dev.nexus.plugin.classicpersonas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.personality.PersonalityBundle;
import dev.nexus.api.personality.PersonalityProvider;
import dev.nexus.api.personality.PersonalityProviderContract;
import dev.nexus.host.db.Database;
import dev.nexus.host.plugins.Contribution;
import dev.nexus.host.testing.PackagedPlugin;
import dev.nexus.host.testing.TestHost;
import java.io.IOException;
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
class ClassicPersonasIT extends PersonalityProviderContract {

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
    protected PersonalityProvider newProvider() {
        return plugin.extension(PersonalityProvider.class).extension();
    }

    @Test
    void packagedJar_startsAsAPersonalityPluginFromItsOwnClassLoader() {
        assertThat(plugin.info().state()).isEqualTo("started");
        assertThat(plugin.info().kinds()).containsExactly("personality");
        assertThat(newProvider().getClass().getClassLoader())
                .isNotSameAs(getClass().getClassLoader());
    }

    @Test
    void personalities_throughTheRuntime_readTheirDocumentsFromTheJar() {
        Contribution<PersonalityProvider> provider = plugin.extension(PersonalityProvider.class);

        List<PersonalityBundle> bundles =
                plugin.runtime().call(provider, "personalities", PersonalityProvider::personalities);

        assertThat(bundles).extracting(PersonalityBundle::id).containsExactlyElementsOf(ClassicPersonas.IDS);
        assertThat(bundles)
                .isNotEmpty()
                .allSatisfy(bundle -> assertThat(bundle.persona()).contains("id: " + bundle.id()));
    }

    @Test
    void realHost_listsThePluginAsStarted(@TempDir Path dir) throws IOException {
        PackagedPlugin.installInto(dir.resolve("plugins"));
        Files.createDirectories(dir.resolve("data"));

        try (TestHost host = TestHost.builder()
                .database(database)
                .dataDir(dir.resolve("data"))
                .yaml("plugins: {directory: '" + dir.resolve("plugins") + "'}")
                .start()) {
            assertThat(PackagedPlugin.listed(host, "classic-personas"))
                    .containsEntry("state", "started")
                    .containsEntry("kinds", List.of("personality"));
        }
    }
}
