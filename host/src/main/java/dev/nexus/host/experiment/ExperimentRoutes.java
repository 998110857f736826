package dev.nexus.host.experiment;

import dev.nexus.host.http.Access;
import dev.nexus.host.http.Route;
import java.util.List;

/** A/B experiments over HTTP, for admins. Stateless. */
public final class ExperimentRoutes {

    private final ExperimentService experiments;

    public ExperimentRoutes(ExperimentService experiments) {
        this.experiments = experiments;
    }

    /** Returns create, results and stop of {@code /v1/personalities/{id}/experiments}. */
    public List<Route> routes() {
        return List.of(
                Route.post(
                        "/v1/personalities/{id}/experiments",
                        Access.ADMIN,
                        exchange -> exchange.respond(
                                201,
                                experiments.create(
                                        exchange.pathParam("id"),
                                        exchange.json(ExperimentService.Body.class),
                                        exchange.caller().keyId()))),
                Route.get(
                        "/v1/personalities/{id}/experiments",
                        Access.ADMIN,
                        exchange -> exchange.respond(
                                200, java.util.Map.of("experiments", experiments.list(exchange.pathParam("id"))))),
                Route.get(
                        "/v1/personalities/{id}/experiments/{eid}",
                        Access.ADMIN,
                        exchange -> exchange.respond(
                                200, experiments.get(exchange.pathParam("id"), exchange.pathParam("eid")))),
                Route.post(
                        "/v1/personalities/{id}/experiments/{eid}/stop",
                        Access.ADMIN,
                        exchange -> exchange.respond(
                                200, experiments.stop(exchange.pathParam("id"), exchange.pathParam("eid")))));
    }
}
