package dev.nexus.host.plugins;

import dev.nexus.host.http.Access;
import dev.nexus.host.http.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /v1/plugins}: every plugin with id, version, state, extension kinds and error. */
public final class PluginRoutes {

    private final PluginRuntime runtime;

    public PluginRoutes(PluginRuntime runtime) {
        this.runtime = runtime;
    }

    /** Returns the routes. */
    public List<Route> routes() {
        return List.of(Route.get("/v1/plugins", Access.USER_SHARED, exchange -> exchange.respond(200,
                Map.of("plugins", runtime.plugins().stream().map(PluginRoutes::view).toList()))));
    }

    static Map<String, Object> view(PluginInfo info) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", info.id());
        view.put("version", info.version());
        view.put("state", info.state());
        view.put("kinds", info.kinds());
        info.error().ifPresent(error -> view.put("error", error));
        view.put("source", info.source());
        if (!info.details().isEmpty()) {
            view.put("details", info.details());
        }
        return view;
    }
}
