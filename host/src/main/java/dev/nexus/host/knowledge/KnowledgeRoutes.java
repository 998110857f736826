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
 * a pack's manual activation for a personality (admin); {@code /v1/knowledge/lorebooks} imports a
 * SillyTavern World Info or V3 lorebook file as a pack when a reader is given. See
 * {@code docs/memory.md}.
 */
public final class KnowledgeRoutes {

    /** Reads a lorebook file into a pack (the interchange feature's reader). */
    @FunctionalInterface
    public interface LorebookReader {

        /**
         * Returns the pack {@code packId} made of the lorebook in {@code content}, with its book-level
         * settings.
         *
         * @throws InvalidInputException when the file is not a valid lorebook
         */
        Lorebook read(byte[] content, String sourceName, String packId);
    }

    /**
     * A lorebook read into a pack. Immutable.
     *
     * @param pack the entries as a pack
     * @param book book-level fields kept from the file ({@code scan_depth}, {@code token_budget},
     *     {@code recursive_scanning}, …), the World Info settings of the whole book
     */
    public record Lorebook(dev.nexus.api.knowledge.KnowledgePack pack, java.util.Map<String, Object> book) {

        /** Copies the book fields. */
        public Lorebook {
            book = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(book));
        }
    }

    /** The body of {@code POST /v1/knowledge/packs/{id}/activation}. */
    record ActivationBody(String personality, String mode) {}

    private final KnowledgeService knowledge;
    private final Optional<LorebookReader> lorebooks;

    /** Routes without lorebook import. */
    public KnowledgeRoutes(KnowledgeService knowledge) {
        this(knowledge, Optional.empty());
    }

    /** Routes with lorebook import through {@code lorebooks}. */
    public KnowledgeRoutes(KnowledgeService knowledge, Optional<LorebookReader> lorebooks) {
        this.knowledge = knowledge;
        this.lorebooks = lorebooks;
    }

    /** Returns the routes. */
    public List<Route> routes() {
        List<Route> routes = new java.util.ArrayList<>(packRoutes());
        lorebooks.ifPresent(reader -> routes.add(Route.post("/v1/knowledge/lorebooks", Access.ADMIN, exchange -> {
            String id = exchange.query("id")
                    .filter(v -> !v.isBlank())
                    .orElseThrow(() -> new InvalidInputException(
                            "query parameter 'id' is required: the pack id to store the lorebook under"));
            String file = exchange.query("name").orElse(id + ".json");
            Lorebook book;
            try {
                book = reader.read(exchange.bodyBytes(), file, id);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(e.getMessage());
            }
            KnowledgeService.PackSummary summary =
                    knowledge.register(book.pack(), "lorebook:" + InvalidInputException.cap(file), book.book());
            exchange.header("Location", "/v1/knowledge/packs/" + summary.id());
            exchange.respond(201, summary);
        })));
        return routes;
    }

    private List<Route> packRoutes() {
        return List.of(
                Route.get(
                        "/v1/knowledge/packs",
                        Access.USER_SHARED,
                        exchange -> exchange.respond(
                                200, Map.of("packs", knowledge.packs(), "problems", knowledge.problems()))),
                Route.get(
                        "/v1/knowledge/packs/{id}",
                        Access.USER_SHARED,
                        exchange -> exchange.respond(200, knowledge.pack(exchange.pathParam("id")))),
                Route.post("/v1/knowledge/packs", Access.ADMIN, exchange -> {
                    boolean yaml =
                            exchange.contentType().map(t -> t.contains("yaml")).orElse(false);
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
                            ? new ActivationBody(null, null)
                            : exchange.json(ActivationBody.class);
                    String personality = personality(exchange, Optional.ofNullable(body.personality()));
                    String mode = body.mode() != null
                            ? body.mode()
                            : exchange.query("mode").orElse(null);
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
        return fromBody.or(() -> exchange.query("personality"))
                .filter(p -> !p.isBlank())
                .orElseThrow(() -> new InvalidInputException(
                        "name the personality: body {\"personality\": \"<id>\"} or query ?personality=<id>"));
    }
}
