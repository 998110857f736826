package dev.nexus.api.tool;

import dev.nexus.api.PluginExtension;

/**
 * An action a personality can take during a conversation: fetch a page, open an issue, send mail.
 *
 * <p>The host offers {@link #spec()} to the language model; when the model calls the tool, the host
 * validates the arguments against the spec's schema, asks a human for approval when the risk level
 * requires it, and then calls {@link #invoke}. Lifecycle as for every extension
 * ({@link PluginExtension}): read and check configuration once in {@code start}, so a bad configuration
 * fails the plugin at start instead of reaching the model. Implementations must be thread-safe. Expected failures
 * are returned as {@link ToolResult.Failure}; anything thrown is caught by the host and reported as a
 * failure of this plugin.
 */
public interface Tool extends PluginExtension {

    /** Returns the tool's description for the model; constant for the tool's lifetime. */
    ToolSpec spec();

    /**
     * Runs one call.
     *
     * @param call the validated call
     * @return the outcome, never null
     */
    ToolResult invoke(ToolCall call);
}
