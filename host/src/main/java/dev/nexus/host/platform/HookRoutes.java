package dev.nexus.host.platform;

import dev.nexus.api.platform.HttpInbound;
import dev.nexus.api.platform.HttpReply;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.http.Access;
import dev.nexus.host.http.Exchange;
import dev.nexus.host.http.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Forwards {@code /hooks/{platform}} and {@code /hooks/{platform}/<path>} requests to the platform's
 * connector. The host does not authenticate them (they carry no API key): the connector must, e.g. by
 * checking a signature. The body is limited by {@code server.max-body-bytes} and parsed by
 * {@link HookRequests}. Stateless.
 */
final class HookRoutes {

    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

    private final PlatformService platforms;
    private final Connectors connectors;

    HookRoutes(PlatformService platforms, Connectors connectors) {
        this.platforms = platforms;
        this.connectors = connectors;
    }

    List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (String method : METHODS) {
            routes.add(new Route(method, "/hooks/{platform}", Access.PUBLIC, exchange -> forward(exchange, "/")));
            routes.add(new Route(
                    method,
                    "/hooks/{platform}/<path>",
                    Access.PUBLIC,
                    exchange -> forward(exchange, "/" + exchange.pathParam("path"))));
        }
        return routes;
    }

    private void forward(Exchange exchange, String path) {
        String platform = exchange.pathParam("platform");
        Connectors.Connector connector = platforms
                .connector(platform)
                .orElseThrow(() -> new NotFoundException("no platform connector '" + InvalidInputException.cap(platform)
                        + "' is running; running platforms are " + platforms.platforms()));
        HttpInbound request = HookRequests.of(exchange.method(), path, exchange.headers(), exchange.bodyBytes());
        Optional<HttpReply> reply = connectors.call(connector, "handle", c -> c.handle(request));
        if (reply == null || reply.isEmpty()) {
            throw new NotFoundException("platform '" + platform + "' takes no HTTP requests");
        }
        HttpReply answer = reply.get();
        answer.headers().forEach(exchange::header);
        exchange.respondBytes(answer.status(), answer.contentType(), answer.body());
    }
}
