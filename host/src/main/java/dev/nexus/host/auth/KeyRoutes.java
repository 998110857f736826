package dev.nexus.host.auth;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.http.Access;
import dev.nexus.host.http.Route;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /v1/keys}: create (optionally bound to a user), list and revoke API keys (admin only). */
public final class KeyRoutes {

    private final ApiKeys keys;

    /** The body of {@code POST /v1/keys}. */
    record CreateKey(String name, List<String> scopes, String user) {}

    public KeyRoutes(ApiKeys keys) {
        this.keys = keys;
    }

    /** Returns the routes. */
    public List<Route> routes() {
        return List.of(
                Route.post("/v1/keys", Access.ADMIN, exchange -> {
                    CreateKey body = exchange.json(CreateKey.class);
                    if (body.scopes() == null) {
                        throw new InvalidInputException("field 'scopes' is required: a list of admin, approver, user");
                    }
                    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
                    body.scopes().forEach(label -> scopes.add(Scope.parse(label)));
                    ApiKeys.Created created = keys.create(
                            body.name(), scopes, java.util.Optional.ofNullable(body.user()), exchange.caller());
                    exchange.header("Location", "/v1/keys/" + created.key().id());
                    exchange.respond(201, Map.of("key", view(created.key()), "secret", created.secret()));
                }),
                Route.get(
                        "/v1/keys",
                        Access.ADMIN,
                        exchange -> exchange.respond(
                                200,
                                Map.of(
                                        "keys",
                                        keys.list().stream()
                                                .map(KeyRoutes::view)
                                                .toList()))),
                Route.delete("/v1/keys/{id}", Access.ADMIN, exchange -> {
                    keys.revoke(exchange.pathParam("id"));
                    exchange.respondBytes(204, "application/json", new byte[0]);
                }));
    }

    private static Map<String, Object> view(ApiKey key) {
        var view = new java.util.LinkedHashMap<String, Object>();
        view.put("id", key.id());
        view.put("name", key.name());
        view.put("prefix", key.prefix());
        view.put("scopes", key.scopes().stream().map(Scope::label).sorted().toList());
        key.user().ifPresent(user -> view.put("user", user));
        view.put("createdAt", key.createdAt());
        key.createdBy().ifPresent(by -> view.put("createdBy", by));
        key.revokedAt().ifPresent(at -> view.put("revokedAt", at));
        key.lastUsedAt().ifPresent(at -> view.put("lastUsedAt", at));
        view.put("active", key.revokedAt().isEmpty());
        return view;
    }
}
