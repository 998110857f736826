package dev.nexus.api.personality;

import dev.nexus.api.PluginExtension;
import java.util.List;

/**
 * Contributes personalities shipped as code plugins. The host reads {@link #personalities} after
 * {@link #start} (see {@link PluginExtension}), validates each bundle exactly like a {@code personalities/<id>/persona.yaml} file,
 * and merges the valid ones into its registry (drop-in bundles take precedence over plugins, plugins
 * over nothing; clashes are reported). Must be side-effect free and thread-safe.
 */
public interface PersonalityProvider extends PluginExtension {

    /** Returns this provider's bundles; never null, possibly empty. */
    List<PersonalityBundle> personalities();
}
