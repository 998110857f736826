package dev.nexus.host.platform;

import dev.nexus.api.platform.PlatformConnector;
import dev.nexus.host.plugins.Contribution;
import dev.nexus.host.plugins.PluginRuntime;
import java.util.List;
import java.util.function.Function;

/** {@link Connectors} backed by the plugin runtime. Thread-safe. */
final class PluginConnectors implements Connectors {

    private final PluginRuntime plugins;

    PluginConnectors(PluginRuntime plugins) {
        this.plugins = plugins;
    }

    @Override
    public List<Connector> all() {
        return plugins.extensions(PlatformConnector.class).stream()
                .map(found -> new Connector(found.pluginId(), found.extension(), plugins.context(found.pluginId())))
                .toList();
    }

    @Override
    public <R> R call(Connector connector, String operation, Function<PlatformConnector, R> call) {
        return plugins.call(new Contribution<>(connector.pluginId(), connector.connector()), operation, call);
    }

    @Override
    public void fail(Connector connector, String operation, Throwable why) {
        plugins.fail(connector.pluginId(), operation, why);
    }
}
