package dev.nexus.host.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.db.DatabaseConfig;
import dev.nexus.host.http.ServerConfig;
import dev.nexus.host.plugins.PluginsConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void section_whenAbsent_returnsTheRecordDefaults() {
        Settings settings = Settings.of("", Map.of());

        ServerConfig server = settings.section("server", ServerConfig.class);

        assertThat(server).isEqualTo(new ServerConfig("127.0.0.1", 8080, "data", 1_048_576L));
        settings.verify(List.of("server"));
    }

    @Test
    void section_readsKebabCaseKeysFromYaml() {
        Settings settings = Settings.of("server:\n  port: 9000\n  max-body-bytes: 2048\n", Map.of());

        assertThat(settings.section("server", ServerConfig.class))
                .extracting(ServerConfig::port, ServerConfig::maxBodyBytes)
                .containsExactly(9000, 2048L);
    }

    @Test
    void section_environmentOverridesYaml_includingAliases() {
        Settings settings = Settings.of(
                "server: {port: 9000}\n",
                Map.of(
                        "NEXUS_PORT",
                        "9100",
                        "NEXUS_SERVER_MAX_BODY_BYTES",
                        "4096",
                        "NEXUS_DATA_DIR",
                        "/srv/nexus",
                        "NEXUS_PLUGINS_DISABLED",
                        "a, b"));

        ServerConfig server = settings.section("server", ServerConfig.class);
        PluginsConfig plugins = settings.section("plugins", PluginsConfig.class);

        assertThat(server.port()).isEqualTo(9100);
        assertThat(server.maxBodyBytes()).isEqualTo(4096L);
        assertThat(server.dataDir()).isEqualTo("/srv/nexus");
        assertThat(plugins.disabled()).containsExactly("a", "b");
    }

    @Test
    void verify_reportsEveryProblemTogetherWithItsKey() {
        Settings settings = Settings.of("""
                server:
                  port: 99999
                database:
                  url: mysql://nope
                  pool-sise: 3
                telemetry: {}
                """, Map.of());

        settings.section("server", ServerConfig.class);
        settings.section("database", DatabaseConfig.class);

        assertThatThrownBy(() -> settings.verify(List.of("server", "database")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .hasSize(4)
                        .anySatisfy(p -> assertThat(p).startsWith("server").contains("port must be 0-65535, got 99999"))
                        .anySatisfy(p -> assertThat(p)
                                .startsWith("database.pool-sise: unknown key")
                                .contains("pool-size"))
                        .anySatisfy(p -> assertThat(p).startsWith("database: url must be a jdbc:h2:"))
                        .anySatisfy(p -> assertThat(p).startsWith("telemetry: unknown section")));
    }

    @Test
    void verify_reportsWrongTypesWithTheKey() {
        Settings settings = Settings.of("server: {port: lots}\n", Map.of());

        settings.section("server", ServerConfig.class);

        assertThatThrownBy(() -> settings.verify(List.of("server")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.port");
    }

    @Test
    void load_readsTheFileWithTheHostsOneYamlReader_duplicateKeysAndAliasesAreRefused(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path duplicate = dir.resolve("duplicate.yaml");
        java.nio.file.Files.writeString(duplicate, "server:\n  port: 8080\n  port: 9090\n");
        java.nio.file.Path alias = dir.resolve("alias.yaml");
        java.nio.file.Files.writeString(alias, "server:\n  host: &h 127.0.0.1\nmetrics:\n  host: *h\n");

        assertThatThrownBy(() -> Settings.load(Map.of("NEXUS_CONFIG", duplicate.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(duplicate + ": not valid YAML: line 3")
                .hasMessageContaining("Duplicate field 'port'");
        assertThatThrownBy(() -> Settings.load(Map.of("NEXUS_CONFIG", alias.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(alias + ": not valid YAML: line 4")
                .hasMessageContaining("YAML aliases (*h) are not accepted");
    }

    @Test
    void secret_readsOnlyNexusVariables() {
        Settings settings = Settings.of("", Map.of("NEXUS_ADMIN_KEY", "k".repeat(20), "HOME", "/root"));

        assertThat(settings.secret("NEXUS_ADMIN_KEY")).hasValue("k".repeat(20));
        assertThatThrownBy(() -> settings.secret("HOME")).isInstanceOf(IllegalArgumentException.class);
    }
}
