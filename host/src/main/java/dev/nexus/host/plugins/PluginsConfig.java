package dev.nexus.host.plugins;

import java.util.List;
import java.util.Map;

/**
 * The {@code plugins} configuration section. Immutable.
 *
 * @param directory where plugin jars are installed (default {@code <data-dir>/plugins})
 * @param devRoot a source checkout's {@code plugins/} folder whose modules' {@code target/nexus-plugin-*.jar}
 *     are loaded too (set by {@code ./nexus run}; empty in production)
 * @param disabled plugin ids not to start
 * @param config each plugin's own configuration section, by plugin id; a plugin sees only its own
 */
public record PluginsConfig(String directory, String devRoot, List<String> disabled, Map<String, Map<String, Object>> config) {

    /** States the defaults. */
    public PluginsConfig {
        directory = directory == null ? "" : directory.strip();
        devRoot = devRoot == null ? "" : devRoot.strip();
        disabled = disabled == null ? List.of() : List.copyOf(disabled);
        config = config == null ? Map.of() : Map.copyOf(config);
    }
}
