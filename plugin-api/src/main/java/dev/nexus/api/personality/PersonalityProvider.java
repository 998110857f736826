package dev.nexus.api.personality;

import dev.nexus.api.PluginContext;
import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * Contributes personalities shipped as code plugins. The host reads {@link #personalities} when the
 * plugin starts, validates each bundle exactly like a {@code personalities/<id>/persona.yaml} file,
 * and merges the valid ones into its registry (drop-in bundles take precedence over plugins, plugins
 * over nothing; clashes are reported). Must be side-effect free and thread-safe.
 */
public interface PersonalityProvider extends ExtensionPoint {

    /** Returns this provider's bundles; never null, possibly empty. */
    List<PersonalityBundle> personalities(PluginContext context);
}
