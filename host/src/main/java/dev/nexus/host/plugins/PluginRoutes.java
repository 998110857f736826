package dev.nexus.host.plugins;

import dev.nexus.api.platform.PlatformConnector;
import dev.nexus.host.http.Access;
import dev.nexus.host.http.Exchange;
import dev.nexus.host.http.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /v1/plugins}: every plugin with id, version, state, extension kinds and error;
 * {@code POST /v1/plugins/{id}/disable|enable} (admin): switch a code plugin off or on at run time,
 * kept across restarts.
 */
public final class PluginRoutes {

    private final PluginRuntime runtime;

    public PluginRoutes(PluginRuntime runtime) {
        this.runtime = runtime;
    }

    /** Returns the routes. */
    public List<Route> routes() {
        return List.of(
                Route.get(
                        "/v1/plugins",
                        Access.USER_SHARED,
                        exchange -> exchange.respond(
                                200,
                                Map.of(
                                        "plugins",
                                        runtime.plugins().stream()
                                                .map(this::listed)
                                                .toList()))),
                Route.post(
                        "/v1/plugins/{id}/disable",
                        Access.ADMIN,
                        exchange -> exchange.respond(
                                200, view(runtime.disable(exchange.pathParam("id"), actor(exchange))))),
                Route.post(
                        "/v1/plugins/{id}/enable",
                        Access.ADMIN,
                        exchange -> exchange.respond(
                                200, view(runtime.enable(exchange.pathParam("id"), actor(exchange))))));
    }

    private static String actor(Exchange exchange) {
        return exchange.caller().name() + " (" + exchange.caller().keyId() + ")";
    }

    /** A row of the list: the view plus whether {@code /disable} and {@code /enable} apply to it. */
    private Map<String, Object> listed(PluginInfo info) {
        Map<String, Object> view = view(info);
        view.put("switchable", runtime.switchable(info.id()));
        Map<String, Object> health = health(info);
        if (!health.isEmpty()) {
            view.put("health", health);
        }
        return view;
    }

    /**
     * The link health of a started plugin's platform connectors, by platform: state ({@code connected},
     * {@code reconnecting}, {@code failing}), the last error and since when (issue 14). Connectors with no
     * standing link report nothing.
     */
    private Map<String, Object> health(PluginInfo info) {
        Map<String, Object> byPlatform = new LinkedHashMap<>();
        if (!info.state().equals("started")) {
            return byPlatform;
        }
        for (Contribution<PlatformConnector> found : runtime.extensions(PlatformConnector.class)) {
            if (!found.pluginId().equals(info.id())) {
                continue;
            }
            try {
                runtime.call(found, "health", PlatformConnector::health).ifPresent(health -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("state", health.state().name().toLowerCase(Locale.ROOT));
                    health.lastError()
                            .ifPresent(
                                    error -> row.put("lastError", PluginText.escape(error, PluginText.DEFAULT_LIMIT)));
                    row.put("since", health.since().toString());
                    byPlatform.put(runtime.call(found, "platform", PlatformConnector::platform), row);
                });
            } catch (PluginFailedException e) {
                // The plugin is now marked failed; the next listing shows that instead.
            }
        }
        return byPlatform;
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
