package dev.nexus.host.plugins;

/**
 * One extension and the plugin it came from. Immutable.
 *
 * @param pluginId the contributing plugin
 * @param extension the extension instance (one per extension class)
 * @param <T> the extension point
 */
public record Contribution<T>(String pluginId, T extension) {}
