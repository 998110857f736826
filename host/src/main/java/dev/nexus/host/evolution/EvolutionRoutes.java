package dev.nexus.host.evolution;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.http.Access;
import dev.nexus.host.http.Exchange;
import dev.nexus.host.http.Route;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Feedback and evolution runs over HTTP. Stateless. */
public final class EvolutionRoutes {

    private final EvolutionService evolution;

    public EvolutionRoutes(EvolutionService evolution) {
        this.evolution = evolution;
    }

    /**
     * Returns {@code POST /v1/feedback}, {@code GET /v1/feedback?message=} (feedback on one reply,
     * for admins: it names raters and carries users' comments), the critique vocabulary, and {@code /v1/evolution/runs}.
     */
    public List<Route> routes() {
        return List.of(
                Route.post(
                        "/v1/feedback",
                        Access.USER_SELF,
                        exchange -> exchange.respond(
                                201,
                                evolution.give(exchange.caller(), exchange.json(EvolutionService.FeedbackBody.class)))),
                Route.get(
                        "/v1/feedback",
                        Access.ADMIN,
                        exchange -> exchange.respond(
                                200,
                                Map.of(
                                        "feedback",
                                        evolution.feedbackOn(
                                                exchange.query("message")
                                                        .orElseThrow(
                                                                () -> new InvalidInputException(
                                                                        "query parameter 'message' is required: the id of the reply whose feedback to list")))))),
                Route.get(
                        "/v1/feedback/vocabulary",
                        Access.USER_SHARED,
                        exchange -> exchange.respond(
                                200,
                                Map.of(
                                        "critiques",
                                        Arrays.stream(Critique.values())
                                                .map(c -> Map.of(
                                                        "term",
                                                        c.term(),
                                                        "trait",
                                                        c.trait(),
                                                        "direction",
                                                        c.direction()))
                                                .toList()))),
                Route.post(
                        "/v1/evolution/runs",
                        Access.USER_SHARED,
                        exchange -> exchange.respond(
                                202,
                                evolution.start(exchange.caller(), exchange.json(EvolutionService.RunBody.class)))),
                Route.get(
                        "/v1/evolution/runs",
                        Access.USER_SHARED,
                        exchange -> exchange.respond(
                                200,
                                Map.of(
                                        "runs",
                                        evolution.runs(
                                                exchange.query("personality").filter(p -> !p.isBlank()),
                                                limit(exchange))))),
                Route.get(
                        "/v1/evolution/runs/{id}",
                        Access.USER_SHARED,
                        exchange -> exchange.respond(200, evolution.run(exchange.pathParam("id")))));
    }

    private static int limit(Exchange exchange) {
        String value = exchange.query("limit").orElse("20");
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("query parameter 'limit' must be a whole number 1-"
                    + EvolutionService.MAX_LISTED_RUNS + ", got '" + InvalidInputException.cap(value) + "'");
        }
    }
}
