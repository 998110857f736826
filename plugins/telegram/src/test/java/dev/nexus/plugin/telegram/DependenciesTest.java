package dev.nexus.plugin.telegram;

import dev.nexus.host.testing.PluginArchitecture;
import org.junit.jupiter.api.Test;

/** The plugin rule of docs/architecture.md: this plugin depends on the plugin API and the JDK only. */
class DependenciesTest {

    @Test
    void plugin_dependsOnThePluginApiAndTheJdkOnly() {
        PluginArchitecture.assertDependsOnThePluginApiOnly("dev.nexus.plugin.telegram");
    }
}
