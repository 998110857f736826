package dev.nexus.host.plugins;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A plugin's status as shown by {@code GET /v1/plugins}. Immutable.
 *
 * @param id the plugin id (the jar's file name when its manifest could not be read)
 * @param version the plugin version, or empty text when unknown
 * @param state {@code started}, {@code failed}, {@code unconfigured} (needs a {@code plugins.config} section it has
 *     not been given), {@code refused} (never loaded), {@code disabled} or {@code stopped}
 * @param kinds the extension kinds it contributes: {@code platform}, {@code knowledge}, {@code tool},
 *     {@code personality}, {@code fitness}
 * @param error why it failed or was refused, or which settings an unconfigured plugin needs
 * @param source the jar it came from
 * @param details extra facts, e.g. a sandboxed plugin's isolation level
 */
public record PluginInfo(
        String id,
        String version,
        String state,
        List<String> kinds,
        Optional<String> error,
        String source,
        Map<String, Object> details) {

    /** Copies collections. */
    public PluginInfo {
        kinds = List.copyOf(kinds);
        details = Map.copyOf(details);
    }
}
