package dev.nexus.api;

import org.pf4j.ExtensionPoint;

/**
 * The lifecycle every extension point shares: the host calls {@link #start(PluginContext)} once,
 * before any other call, then the extension's own methods from any thread, then {@link #stop()} once.
 *
 * <p>Before {@code start} the host has validated the plugin's configuration section against the
 * schema the plugin declares ({@code META-INF/nexus/config-schema.json}); a section that does not
 * match fails the plugin with the offending field named, and {@code start} is not called. {@code start}
 * is the place to read and check the configuration once; anything it throws fails this plugin at
 * start (the message is shown in {@code GET /v1/plugins}) while the host and other plugins keep running.
 * The context handed to {@code start} stays valid until {@code stop}; keep it in a field.
 */
@Experimental
public interface PluginExtension extends ExtensionPoint {

    /**
     * Starts the extension with its plugin's context; called once, before any other method.
     *
     * @param context this plugin's context, valid until {@link #stop()}
     * @throws RuntimeException to fail the plugin at start, with a message naming the configuration
     *     key and the fix
     */
    default void start(PluginContext context) {}

    /** Releases what {@link #start(PluginContext)} acquired; called once, also after a failed start. */
    default void stop() {}
}
