package dev.nexus.host.platform;

import dev.nexus.api.PluginContext;
import dev.nexus.api.platform.PlatformConnector;
import java.util.List;
import java.util.function.Function;

/** The connectors plugins contribute, and the one way to call them (with failure isolation). */
interface Connectors {

    /**
     * One contributed connector. Immutable.
     *
     * @param pluginId the plugin that contributed it
     * @param connector the extension
     * @param context the plugin's context, handed to {@link PlatformConnector#start}
     */
    record Connector(String pluginId, PlatformConnector connector, PluginContext context) {}

    /** Returns the connectors of started plugins. */
    List<Connector> all();

    /**
     * Calls into a connector. Anything it throws isolates its plugin and comes back as a
     * {@link dev.nexus.host.DependencyException} (not retriable) naming the plugin.
     */
    <R> R call(Connector connector, String operation, Function<PlatformConnector, R> call);

    /** Marks the connector's plugin failed, e.g. when it breaks a contract without throwing. */
    void fail(Connector connector, String operation, Throwable why);
}
