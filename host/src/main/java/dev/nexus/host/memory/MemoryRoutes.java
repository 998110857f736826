package dev.nexus.host.memory;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.http.Access;
import dev.nexus.host.http.Exchange;
import dev.nexus.host.http.Route;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code /v1/memory}: facts, search with score components, profiles, stats and consolidation. See
 * {@code docs/memory.md} for every parameter.
 */
public final class MemoryRoutes {

    private final MemoryService memory;
    private final Supplier<Map<String, Object>> moreStats;

    /**
     * Creates the routes.
     *
     * @param memory the memory feature
     * @param moreStats figures of the recall's other side (knowledge caches) shown in {@code /v1/memory/stats}
     */
    public MemoryRoutes(MemoryService memory, Supplier<Map<String, Object>> moreStats) {
        this.memory = memory;
        this.moreStats = moreStats;
    }

    /** Returns the routes. */
    public List<Route> routes() {
        return List.of(
                Route.get("/v1/memory/facts", Access.USER_SELF, exchange -> {
                    String user = user(exchange);
                    List<Fact> facts = memory.facts(
                            user,
                            exchange.query("personality"),
                            exchange.query("category").map(FactCategory::parse),
                            integer(exchange, "limit", 100),
                            integer(exchange, "offset", 0),
                            flag(exchange, "history"));
                    exchange.respond(
                            200,
                            Map.of(
                                    "facts",
                                    facts.stream().map(MemoryRoutes::view).toList()));
                }),
                Route.post("/v1/memory/facts", Access.USER_SELF, exchange -> {
                    NewFact body = exchange.json(NewFact.class);
                    Fact fact = memory.remember(
                            body.forUser(exchange.caller().actingUser("user", Optional.ofNullable(body.user()))));
                    exchange.header("Location", "/v1/memory/facts/" + fact.id());
                    exchange.respond(201, view(fact));
                }),
                Route.get("/v1/memory/facts/{id}", Access.userOwns("id", "fact", memory::ownerOfFact), exchange -> {
                    MemoryService.FactRecord record = memory.inspect(exchange.pathParam("id"));
                    Map<String, Object> view = view(record.fact());
                    Map<String, Object> provenance = new LinkedHashMap<>();
                    provenance.put("source", record.fact().source().label());
                    provenance.put(
                            "extractor",
                            switch (record.fact().source()) {
                                case EXPLICIT -> "api";
                                case INFERRED -> "consolidation";
                                case CONVERSATION -> "conversation";
                            });
                    record.fact().sourceMessage().ifPresent(m -> provenance.put("message", m));
                    provenance.put("confidence", record.fact().confidence());
                    view.put("provenance", provenance);
                    view.put(
                            "versions",
                            record.versions().stream().map(MemoryRoutes::view).toList());
                    exchange.respond(200, view);
                }),
                Route.post("/v1/memory/import", Access.USER_SELF, exchange -> {
                    ImportBody body = exchange.json(ImportBody.class);
                    String user = exchange.caller().actingUser("user", Optional.ofNullable(body.user()));
                    List<Fact> stored = memory.importFacts(user, body.facts());
                    exchange.respond(
                            200,
                            Map.of(
                                    "user",
                                    user,
                                    "count",
                                    stored.size(),
                                    "facts",
                                    stored.stream().map(MemoryRoutes::view).toList()));
                }),
                Route.post(
                        "/v1/memory/facts/{id}/pin", Access.userOwns("id", "fact", memory::ownerOfFact), exchange -> {
                            exchange.requireNoBody();
                            exchange.respond(200, view(memory.pin(exchange.pathParam("id"), true)));
                        }),
                Route.post(
                        "/v1/memory/facts/{id}/unpin", Access.userOwns("id", "fact", memory::ownerOfFact), exchange -> {
                            exchange.requireNoBody();
                            exchange.respond(200, view(memory.pin(exchange.pathParam("id"), false)));
                        }),
                Route.delete("/v1/memory/facts/{id}", Access.userOwns("id", "fact", memory::ownerOfFact), exchange -> {
                    memory.forget(exchange.pathParam("id"));
                    exchange.respondBytes(204, "application/json", new byte[0]);
                }),
                Route.delete(
                        "/v1/memory/facts",
                        Access.ADMIN,
                        exchange -> exchange.respond(
                                200, Map.of("deleted", memory.forgetUser(required(exchange, "user"))))),
                Route.get("/v1/memory/search", Access.USER_SELF, exchange -> {
                    Set<FactCategory> categories = exchange.query("category")
                            .map(c -> Arrays.stream(c.split(","))
                                    .map(FactCategory::parse)
                                    .collect(Collectors.toSet()))
                            .orElse(Set.of());
                    MemoryQuery query = new MemoryQuery(
                            user(exchange),
                            exchange.query("personality"),
                            exchange.query("q").orElse(""),
                            integer(exchange, "limit", 10),
                            categories,
                            instant(exchange, "since"),
                            instant(exchange, "until"),
                            !exchange.query("episodes")
                                    .map("false"::equalsIgnoreCase)
                                    .orElse(false));
                    exchange.respond(200, Map.of("results", memory.search(query, zone(exchange))));
                }),
                Route.get("/v1/memory/people", Access.USER_SELF, exchange -> {
                    String user = user(exchange);
                    exchange.respond(
                            200,
                            Map.of(
                                    "user",
                                    user,
                                    "people",
                                    memory.people(user).stream()
                                            .map(p -> Map.of(
                                                    "relation",
                                                    p.person().relation(),
                                                    "name",
                                                    p.person().name(),
                                                    "facts",
                                                    p.facts().stream()
                                                            .map(MemoryRoutes::view)
                                                            .toList()))
                                            .toList()));
                }),
                Route.get(
                        "/v1/memory/profile/{user}",
                        Access.userInPath("user"),
                        exchange -> exchange.respond(200, view(memory.profile(exchange.pathParam("user"))))),
                Route.put(
                        "/v1/memory/profile/{user}",
                        Access.userInPath("user"),
                        exchange -> exchange.respond(
                                200,
                                view(memory.updateProfile(
                                        exchange.pathParam("user"), exchange.json(Profile.Update.class))))),
                Route.get("/v1/memory/stats", Access.ADMIN, exchange -> {
                    Map<String, Object> stats = new LinkedHashMap<>(memory.stats());
                    stats.putAll(moreStats.get());
                    exchange.respond(200, stats);
                }),
                Route.post("/v1/memory/consolidate", Access.ADMIN, exchange -> {
                    exchange.requireNoBody();
                    exchange.respond(200, memory.consolidate());
                }));
    }

    static Map<String, Object> view(Fact fact) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", fact.id());
        view.put("user", fact.user());
        view.put("personality", fact.personality().orElse(""));
        view.put("fact", fact.text());
        view.put("category", fact.category().label());
        view.put("source", fact.source().label());
        view.put("confidence", fact.confidence());
        view.put("importance", fact.importance());
        view.put("retrievalCount", fact.retrievalCount());
        view.put("createdAt", fact.createdAt());
        view.put("updatedAt", fact.updatedAt());
        fact.slot().ifPresent(slot -> view.put("slot", slot));
        view.put("occurredAt", fact.occurredAt());
        view.put("validFrom", fact.occurredAt());
        fact.validUntil().ifPresent(at -> view.put("validUntil", at));
        fact.supersededBy().ifPresent(id -> view.put("supersededBy", id));
        view.put("current", fact.current());
        view.put("pinned", fact.pinned());
        fact.externalId().ifPresent(id -> view.put("externalId", id));
        view.put("metadata", fact.metadata());
        fact.sourceMessage().ifPresent(id -> view.put("sourceMessage", id));
        fact.about().ifPresent(p -> view.put("about", Map.of("relation", p.relation(), "name", p.name())));
        return view;
    }

    private static Map<String, Object> view(Profile profile) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("user", profile.user());
        view.put("displayName", profile.displayName());
        view.put("attributes", profile.attributes());
        profile.updatedAt().ifPresent(at -> view.put("updatedAt", at));
        view.put("facts", profile.facts().stream().map(MemoryRoutes::view).toList());
        view.put("relationships", profile.relationships());
        return view;
    }

    /** The user a memory query acts for: the key's own user, or for admins the one named in {@code ?user=}. */
    private static String user(Exchange exchange) {
        String user = exchange.caller().actingUser("user", exchange.query("user"));
        if (user.isBlank()) {
            throw new InvalidInputException("query parameter 'user' is required");
        }
        return user;
    }

    /** The body of {@code POST /v1/memory/import}. */
    record ImportBody(String user, List<NewFact> facts) {}

    private static boolean flag(Exchange exchange, String name) {
        Optional<String> value = exchange.query(name).map(String::strip);
        if (value.isEmpty() || value.get().equalsIgnoreCase("false")) {
            return false;
        }
        if (value.get().equalsIgnoreCase("true")) {
            return true;
        }
        throw new InvalidInputException("query parameter '" + name + "' must be true or false, got '"
                + InvalidInputException.cap(value.get()) + "'");
    }

    private static Optional<ZoneId> zone(Exchange exchange) {
        Optional<String> value = exchange.query("timeZone");
        try {
            return value.map(v -> ZoneId.of(v.strip()));
        } catch (DateTimeException e) {
            throw new InvalidInputException(
                    "query parameter 'timeZone' must be an IANA time zone such as Europe/Oslo, got '"
                            + InvalidInputException.cap(value.get()) + "'");
        }
    }

    private static String required(Exchange exchange, String name) {
        return exchange.query(name)
                .filter(v -> !v.isBlank())
                .orElseThrow(() -> new InvalidInputException("query parameter '" + name + "' is required"));
    }

    private static int integer(Exchange exchange, String name, int fallback) {
        Optional<String> value = exchange.query(name);
        try {
            return value.map(v -> Integer.parseInt(v.strip())).orElse(fallback);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("query parameter '" + name + "' must be a whole number, got '"
                    + InvalidInputException.cap(value.get()) + "'");
        }
    }

    private static Optional<Instant> instant(Exchange exchange, String name) {
        Optional<String> value = exchange.query(name);
        try {
            return value.map(v -> Instant.parse(v.strip()));
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("query parameter '" + name + "' must be an ISO-8601 instant such as "
                    + "2026-01-31T12:00:00Z, got '" + InvalidInputException.cap(value.get()) + "'");
        }
    }
}
