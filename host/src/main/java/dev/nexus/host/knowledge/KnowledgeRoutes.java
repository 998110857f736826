package dev.nexus.host.knowledge;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.http.Access;
import dev.nexus.host.http.Exchange;
import dev.nexus.host.http.Route;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /v1/knowledge/packs}: list and show packs (user), import and delete packs, and set or clear
 * a pack's manual activation for a personality (admin). See {@code docs/memory.md}.
 */
public final class KnowledgeRoutes {

    /** The body of {@code POST /v1/knowledge/packs/{id}/activation}. */
    record ActivationBody(String personality, String mode) {
    }

    private final KnowledgeService knowledge;

    public KnowledgeRoutes(KnowledgeService knowledge) {
        this.knowledge = knowledge;
    }

    /** Returns the routes. */
    public List<Route> routes() {
        return List.of(
                Route.get("/v1/knowledge/packs", Access.USER, exchange -> exchange.respond(200,
                        Map.of("packs", knowledge.packs(), "problems", knowledge.problems()))),
                Route.get("/v1/knowledge/packs/{id}", Access.USER, exchange ->
                        exchange.respond(200, knowledge.pack(exchange.pathParam("id")))),
                Route.post("/v1/knowledge/packs", Access.ADMIN, exchange -> {
                    boolean yaml = exchange.contentType().map(t -> t.contains("yaml")).orElse(false);
                    KnowledgeService.PackSummary summary = knowledge.importPack(exchange.bodyBytes(), yaml);
                    exchange.header("Location", "/v1/knowledge/packs/" + summary.id());
                    exchange.respond(201, summary);
                }),
                Route.delete("/v1/knowledge/packs/{id}", Access.ADMIN, exchange -> {
                    knowledge.deleteImported(exchange.pathParam("id"));
                    exchange.respondBytes(204, "application/json", new byte[0]);
                }),
                Route.post("/v1/knowledge/packs/{id}/activation", Access.ADMIN, exchange -> {
                    String id = exchange.pathParam("id");
                    ActivationBody body = exchange.bodyBytes().length == 0
                            ? new ActivationBody(null, null) : exchange.json(ActivationBody.class);
                    String personality = personality(exchange, Optional.ofNullable(body.personality()));
                    String mode = body.mode() != null ? body.mode() : exchange.query("mode").orElse(null);
                    knowledge.activate(id, personality, mode);
                    exchange.respond(200, knowledge.pack(id));
                }),
                Route.delete("/v1/knowledge/packs/{id}/activation", Access.ADMIN, exchange -> {
                    String id = exchange.pathParam("id");
                    knowledge.deactivate(id, personality(exchange, Optional.empty()));
                    exchange.respond(200, knowledge.pack(id));
                }));
    }

    private static String personality(Exchange exchange, Optional<String> fromBody) {
        return fromBody.or(() -> exchange.query("personality")).filter(p -> !p.isBlank())
                .orElseThrow(() -> new InvalidInputException(
                        "name the personality: body {\"personality\": \"<id>\"} or query ?personality=<id>"));
    }
}
