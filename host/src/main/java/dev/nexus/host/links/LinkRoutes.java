package dev.nexus.host.links;

import dev.nexus.host.http.Access;
import dev.nexus.host.http.Exchange;
import dev.nexus.host.http.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /v1/links}: link platform identities to users, list and remove links (admin only; audited). */
public final class LinkRoutes {

    /** The body of {@code PUT /v1/links/{identity}}. */
    record LinkBody(String user) {}

    private final IdentityLinks links;

    public LinkRoutes(IdentityLinks links) {
        this.links = links;
    }

    /** Returns the routes. */
    public List<Route> routes() {
        return List.of(
                Route.put("/v1/links/{identity}", Access.ADMIN, exchange -> {
                    LinkBody body = exchange.json(LinkBody.class);
                    exchange.respond(
                            200, view(links.link(exchange.pathParam("identity"), body.user(), exchange.caller())));
                }),
                Route.get("/v1/links", Access.ADMIN, this::list),
                Route.delete("/v1/links/{identity}", Access.ADMIN, exchange -> {
                    links.unlink(exchange.pathParam("identity"));
                    exchange.respondBytes(204, "application/json", new byte[0]);
                }));
    }

    private void list(Exchange exchange) {
        exchange.respond(
                200,
                Map.of(
                        "links",
                        links.list(exchange.query("user").filter(u -> !u.isBlank())).stream()
                                .map(LinkRoutes::view)
                                .toList()));
    }

    static Map<String, Object> view(Link link) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("identity", link.identity());
        view.put("user", link.user());
        view.put("createdAt", link.createdAt());
        view.put("createdBy", link.createdBy());
        return view;
    }
}
