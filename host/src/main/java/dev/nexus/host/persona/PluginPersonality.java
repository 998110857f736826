package dev.nexus.host.persona;

import dev.nexus.api.personality.PersonalityBundle;

/**
 * A bundle contributed by a {@code PersonalityProvider} plugin. Immutable.
 *
 * @param pluginId the contributing plugin
 * @param bundle the bundle as the plugin returned it
 */
public record PluginPersonality(String pluginId, PersonalityBundle bundle) {

    /** Validates the parts. */
    public PluginPersonality {
        if (pluginId == null || pluginId.isBlank() || bundle == null) {
            throw new IllegalArgumentException("a plugin personality needs a plugin id and a bundle");
        }
    }

    /** Returns where the bundle came from in problem reports: {@code plugin:<plugin id>/<bundle id>}. */
    public String origin() {
        return "plugin:" + pluginId + "/" + bundle.id();
    }
}
