package dev.nexus.host.vault;

import dev.nexus.host.NotFoundException;
import dev.nexus.host.http.Access;
import dev.nexus.host.http.Exchange;
import dev.nexus.host.http.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/secrets}: set, list, show and delete plugin secrets, and rotate the master key (admin
 * only; every change is audited by the HTTP layer, without the value). No answer ever carries a value.
 */
public final class SecretRoutes {

    /** The body of {@code PUT /v1/secrets/{plugin}/{name}}. */
    record SecretBody(String value) {
        @Override
        public String toString() {
            return "SecretBody[value hidden]";
        }
    }

    private final Vault vault;

    public SecretRoutes(Vault vault) {
        this.vault = vault;
    }

    /** Returns the routes. */
    public List<Route> routes() {
        return List.of(
                Route.put("/v1/secrets/{plugin}/{name}", Access.ADMIN, exchange -> {
                    SecretBody body = exchange.json(SecretBody.class);
                    exchange.respond(
                            200,
                            view(vault.put(
                                    exchange.pathParam("plugin"),
                                    exchange.pathParam("name"),
                                    body.value(),
                                    exchange.caller())));
                }),
                Route.get("/v1/secrets", Access.ADMIN, this::list),
                Route.get("/v1/secrets/{plugin}/{name}", Access.ADMIN, exchange -> {
                    String plugin = exchange.pathParam("plugin");
                    String name = exchange.pathParam("name");
                    exchange.respond(
                            200,
                            view(vault.find(plugin, name)
                                    .orElseThrow(
                                            () -> new NotFoundException("plugin '" + cap(plugin) + "' has no secret '"
                                                    + cap(name) + "' in the vault; set it with PUT /v1/secrets/"
                                                    + cap(plugin) + "/" + cap(name)))));
                }),
                Route.delete("/v1/secrets/{plugin}/{name}", Access.ADMIN, exchange -> {
                    vault.delete(exchange.pathParam("plugin"), exchange.pathParam("name"));
                    exchange.respondBytes(204, "application/json", new byte[0]);
                }),
                Route.post("/v1/secrets/rotation", Access.ADMIN, exchange -> {
                    exchange.requireNoBody();
                    Vault.Rotation rotation = vault.rotate();
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("keyId", rotation.keyId());
                    view.put("previousKeyId", rotation.previousKeyId());
                    view.put("secrets", rotation.secrets());
                    view.put("rotatedAt", rotation.at());
                    exchange.respond(200, view);
                }));
    }

    private void list(Exchange exchange) {
        exchange.respond(
                200,
                Map.of(
                        "keyId",
                        vault.keyId(),
                        "secrets",
                        vault.list(exchange.query("plugin").filter(p -> !p.isBlank())).stream()
                                .map(this::view)
                                .toList()));
    }

    private Map<String, Object> view(SecretInfo info) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("plugin", info.plugin());
        view.put("name", info.name());
        view.put("keyId", info.keyId());
        view.put("createdAt", info.createdAt());
        view.put("updatedAt", info.updatedAt());
        view.put("updatedBy", info.updatedBy());
        view.put("overriddenByEnvironment", vault.overridden(info.plugin(), info.name()));
        return view;
    }

    private static String cap(String text) {
        return dev.nexus.host.InvalidInputException.cap(text);
    }
}
