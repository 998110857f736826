package dev.nexus.host.routing;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.http.Access;
import dev.nexus.host.http.Exchange;
import dev.nexus.host.http.Route;
import dev.nexus.host.persona.TraitFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v1/route}: the personalities that best fit a request, with scores and reasons. Reads
 * shared data only (the personalities), so any user key may ask. Stateless; see docs/rooms.md.
 */
public final class RoutingRoutes {

    record RouteBody(String message, List<String> traits, Integer limit) {}

    private static final int MAX_MESSAGE_CHARS = 8_000;

    private final PersonalityRouter router;

    public RoutingRoutes(PersonalityRouter router) {
        this.router = router;
    }

    /** Returns the routes. */
    public List<Route> routes() {
        return List.of(Route.post("/v1/route", Access.USER_SHARED, this::route));
    }

    private void route(Exchange exchange) {
        RouteBody body = exchange.json(RouteBody.class);
        if (body.message() == null || body.message().isBlank() || body.message().length() > MAX_MESSAGE_CHARS) {
            throw new InvalidInputException("message must be 1 to " + MAX_MESSAGE_CHARS + " characters");
        }
        int limit = Optional.ofNullable(body.limit()).orElse(5);
        if (limit < 1 || limit > 100) {
            throw new InvalidInputException("limit must be within [1, 100], got " + limit);
        }
        List<TraitFilter> filters = new ArrayList<>();
        for (String f : Optional.ofNullable(body.traits()).orElse(List.of())) {
            if (f == null) {
                throw new InvalidInputException("traits must be a list of filters such as \"directness>0.7\"");
            }
            filters.addAll(TraitFilter.parse(f));
        }
        PersonalityRouter.Ranking ranking = router.rank(body.message(), filters);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("method", ranking.method());
        out.put("filters", filters.stream().map(TraitFilter::toString).toList());
        out.put(
                "matches",
                ranking.matches().stream()
                        .limit(limit)
                        .map(m -> {
                            Map<String, Object> item = new LinkedHashMap<>();
                            item.put("personality", m.id());
                            item.put("name", m.name());
                            item.put("score", m.score());
                            item.put("reasons", m.reasons());
                            return item;
                        })
                        .toList());
        exchange.respond(200, out);
    }
}
