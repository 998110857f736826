package dev.nexus.host.plugins;

import dev.nexus.host.DependencyException;

/** A plugin threw; it has been marked failed and isolated. Maps to 502. */
public final class PluginFailedException extends DependencyException {

    private static final long serialVersionUID = 1L;

    PluginFailedException(String pluginId, String operation, Throwable cause) {
        super(
                "plugin '" + pluginId + "' failed during " + operation + " and has been disabled until restart: "
                        + cause,
                false,
                cause);
    }
}
