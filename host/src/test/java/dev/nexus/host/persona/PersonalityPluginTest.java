package dev.nexus.host.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.testing.PluginJar;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Personalities from real {@code PersonalityProvider} plugin jars, loaded by the real plugin runtime. */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class PersonalityPluginTest {

    @Parameter
    Database.Kind database;

    @TempDir
    Path plugins;

    private static String provider(String pkg, String body) {
        return """
                package %s;

                import dev.nexus.api.PluginContext;
                import dev.nexus.api.personality.PersonalityBundle;
                import dev.nexus.api.personality.PersonalityProvider;
                import java.util.List;
                import java.util.Map;

                public class Provider implements PersonalityProvider {
                    @Override
                    public List<PersonalityBundle> personalities() {
                        %s
                    }
                }
                """.formatted(pkg, body);
    }

    @Test
    @SuppressWarnings("unchecked")
    void providerPlugins_contributePersonalities_andAThrowingOneIsIsolated() {
        PluginJar.builder("owls")
                .source("owls.Provider", provider("owls", """
                return List.of(
                        new PersonalityBundle("owl", "name: Owl\\ntraits: {warmth: 0.4}\\navatar: owl.png\\n",
                                Map.of("owl.png", new byte[] {1, 2, 3})),
                        new PersonalityBundle("broken-owl", "name: Broken\\ntraits: {warmth: 3}\\n", Map.of()));
                """))
                .extension("owls.Provider")
                .build(plugins);
        PluginJar.builder("crashy")
                .source(
                        "crashy.Provider",
                        provider("crashy", "throw new IllegalStateException(\"no personalities today\");"))
                .extension("crashy.Provider")
                .build(plugins);

        try (TestHost host = TestHost.builder()
                .database(database)
                .env("NEXUS_PLUGINS_DIRECTORY", plugins.toString())
                .start()) {
            Map<String, Object> owl = TestHttp.json(host.http().get("/v1/personalities/owl"));
            assertThat(owl).containsEntry("version", 1).containsEntry("source", "plugin:owls");
            assertThat(owl.get("owner")).isEqualTo(Map.of("kind", "plugin", "plugin", "owls"));
            assertThat((Map<String, Object>) owl.get("personality")).containsEntry("avatar", "owl.png");

            Map<String, Object> list = TestHttp.json(host.http().get("/v1/personalities"));
            assertThat((List<String>) list.get("problems"))
                    .containsExactly("plugin:owls/broken-owl: traits.warmth: must be within [0, 1], got 3");

            var problem = host.http().delete("/v1/personalities/owl");
            assertThat(problem.statusCode()).isEqualTo(409);
            assertThat((String) TestHttp.json(problem).get("detail"))
                    .isEqualTo(
                            "cannot delete personality 'owl': it "
                                    + "comes from plugin 'owls', not the API; disable or update plugin 'owls' instead (plugins.disabled)");

            List<Map<String, Object>> rows = (List<Map<String, Object>>)
                    TestHttp.json(host.http().get("/v1/plugins")).get("plugins");
            assertThat(rows)
                    .extracting(row -> row.get("id") + "=" + row.get("state"))
                    .containsExactlyInAnyOrder("owls=started", "crashy=failed");
        }
    }
}
