package dev.nexus.host;

import dev.nexus.host.db.Database;
import dev.nexus.host.http.Access;
import dev.nexus.host.http.Exchange;
import dev.nexus.host.http.Route;
import dev.nexus.host.plugins.PluginInfo;
import dev.nexus.host.plugins.PluginRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The health routes, none needing a key:
 * <ul>
 *   <li>{@code GET /health/live} — liveness: 200 while the process serves HTTP at all (a supervisor
 *       restarts the process only when this fails);
 *   <li>{@code GET /health/ready} — readiness: 200 when the database answers and the host is not
 *       shutting down, else 503 with {@code Retry-After} and {@code down} naming each dependency
 *       that is down (a load balancer stops sending traffic meanwhile);
 *   <li>{@code GET /health} — the readiness answer, kept for existing monitors.
 * </ul>
 * Every answer comes within about a second: the database check runs with a deadline of its own and
 * the plugin list (sandboxed plugins' states live in the database) is read only when the database
 * answered. Thread-safe.
 */
final class Health {

    /** How long the database may take to answer {@code SELECT 1} before it counts as down. */
    static final Duration DATABASE_DEADLINE = Duration.ofMillis(800);

    /** Plugin states that are not failures; {@code pending-approval} and {@code enabled} are sandboxed plugins'. */
    private static final Set<String> HEALTHY_STATES =
            Set.of("started", "disabled", "pending-approval", "enabled", PluginRuntime.UNCONFIGURED);

    private final Database database;
    private final PluginRuntime plugins;
    private final BooleanSupplier stopping;

    private dev.nexus.host.cluster.Cluster cluster;

    Health(Database database, PluginRuntime plugins, BooleanSupplier stopping) {
        this.database = database;
        this.plugins = plugins;
        this.stopping = stopping;
    }

    /** Lists the cluster's members in readiness answers. */
    Health cluster(dev.nexus.host.cluster.Cluster value) {
        this.cluster = value;
        return this;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/health", Access.PUBLIC, this::ready),
                Route.get("/health/ready", Access.PUBLIC, this::ready),
                Route.get("/health/live", Access.PUBLIC, exchange -> exchange.respond(200, Map.of("status", "ok"))));
    }

    private void ready(Exchange exchange) {
        boolean databaseUp = database.healthy(DATABASE_DEADLINE);
        List<String> down = new ArrayList<>();
        Map<String, Object> body = new LinkedHashMap<>();
        Database.PoolUsage pool = database.poolUsage();
        body.put(
                "database",
                Map.of(
                        "kind",
                        database.kind().name().toLowerCase(Locale.ROOT),
                        "up",
                        databaseUp,
                        "pool",
                        Map.of(
                                "active",
                                pool.active(),
                                "idle",
                                pool.idle(),
                                "waiting",
                                pool.waiting(),
                                "max",
                                pool.max())));
        if (!databaseUp) {
            down.add("database");
        }
        if (databaseUp) {
            try {
                List<PluginInfo> all = plugins.plugins();
                Map<String, Long> byState = new LinkedHashMap<>();
                all.forEach(info -> byState.merge(info.state(), 1L, Long::sum));
                body.put(
                        "plugins",
                        Map.of(
                                "total",
                                all.size(),
                                "byState",
                                byState,
                                "failed",
                                all.stream()
                                        .filter(p -> !HEALTHY_STATES.contains(p.state()))
                                        .map(PluginInfo::id)
                                        .toList()));
            } catch (RuntimeException e) {
                // The database went away between the check and the plugin list.
                body.put("plugins", Map.of("unknown", "the plugin list needs the database"));
                down.add("database");
            }
        } else {
            body.put("plugins", Map.of("unknown", "the plugin list needs the database"));
        }
        if (cluster != null) {
            Map<String, Object> members = new LinkedHashMap<>();
            members.put("host", cluster.hostId());
            members.put("shared", cluster.shared());
            members.put(
                    "members",
                    (databaseUp ? cluster.members() : List.<dev.nexus.host.cluster.Cluster.Member>of())
                            .stream()
                                    .map(m -> Map.of(
                                            "host",
                                            m.hostId(),
                                            "address",
                                            m.address(),
                                            "seenAt",
                                            m.seenAt().toString()))
                                    .toList());
            body.put("cluster", members);
        }
        if (stopping.getAsBoolean()) {
            down.add("shutdown");
        }
        body.put("status", down.isEmpty() ? "ok" : "unavailable");
        body.put("down", List.copyOf(new java.util.LinkedHashSet<>(down)));
        // Keep the field order stable: status first.
        Map<String, Object> ordered = new LinkedHashMap<>();
        ordered.put("status", body.remove("status"));
        ordered.putAll(body);
        exchange.respond(down.isEmpty() ? 200 : 503, ordered);
    }
}
