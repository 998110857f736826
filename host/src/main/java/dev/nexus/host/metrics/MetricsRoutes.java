package dev.nexus.host.metrics;

import dev.nexus.host.http.Access;
import dev.nexus.host.http.Route;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code GET /metrics}: every metric in the Prometheus text format, for an admin key (Prometheus
 * sends it as a bearer token: {@code authorization: {credentials: …}} in its scrape config).
 * Snapshots that cost a query (outbox depth) are refreshed by {@code beforeScrape} first; a failure
 * there leaves the last values and never fails the scrape. Thread-safe.
 */
public final class MetricsRoutes {

    private final Metrics metrics;
    private final List<Runnable> beforeScrape;

    /** Serves {@code metrics}, running each of {@code beforeScrape} before a scrape. */
    public MetricsRoutes(Metrics metrics, List<Runnable> beforeScrape) {
        this.metrics = metrics;
        this.beforeScrape = List.copyOf(beforeScrape);
    }

    /** Returns the route. */
    public List<Route> routes() {
        return List.of(Route.get("/metrics", Access.ADMIN, exchange -> {
            for (Runnable refresh : beforeScrape) {
                try {
                    refresh.run();
                } catch (RuntimeException e) {
                    // the gauges keep their last values (or NaN); the rest of the scrape still answers
                }
            }
            exchange.respondBytes(200, Metrics.contentType(), metrics.scrape().getBytes(StandardCharsets.UTF_8));
        }));
    }
}
