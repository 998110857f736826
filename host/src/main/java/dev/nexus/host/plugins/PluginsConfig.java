package dev.nexus.host.plugins;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code plugins} configuration section. Immutable.
 *
 * @param directory where plugin jars are installed (default {@code <data-dir>/plugins})
 * @param devRoot a source checkout's {@code plugins/} folder whose modules' {@code target/nexus-plugin-*.jar}
 *     are loaded too (set by {@code ./nexus run}; empty in production)
 * @param disabled plugin ids not to start
 * @param config each plugin's own configuration section, by plugin id; a plugin sees only its own
 * @param turnFilterTimeoutMs the time limit of one {@code TurnFilter} call ({@code turn-filter-timeout-ms},
 *     default 2000, 10 to 60000); a filter that overruns is isolated
 */
public record PluginsConfig(
        String directory,
        String devRoot,
        List<String> disabled,
        Map<String, Map<String, Object>> config,
        @Nullable Integer turnFilterTimeoutMs) {

    /** The default time limit of one turn-filter call. */
    public static final int DEFAULT_TURN_FILTER_TIMEOUT_MS = 2000;

    /** States the defaults. */
    public PluginsConfig {
        directory = directory == null ? "" : directory.strip();
        devRoot = devRoot == null ? "" : devRoot.strip();
        disabled = disabled == null ? List.of() : List.copyOf(disabled);
        config = config == null ? Map.of() : Map.copyOf(config);
        turnFilterTimeoutMs = turnFilterTimeoutMs == null ? DEFAULT_TURN_FILTER_TIMEOUT_MS : turnFilterTimeoutMs;
        if (turnFilterTimeoutMs < 10 || turnFilterTimeoutMs > 60_000) {
            throw new IllegalArgumentException(
                    "turn-filter-timeout-ms must be between 10 and 60000, got " + turnFilterTimeoutMs);
        }
    }

    /** A section with the default turn-filter time limit. */
    public PluginsConfig(
            String directory, String devRoot, List<String> disabled, Map<String, Map<String, Object>> config) {
        this(directory, devRoot, disabled, config, null);
    }
}
