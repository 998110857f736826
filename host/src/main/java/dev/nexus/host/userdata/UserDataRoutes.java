package dev.nexus.host.userdata;

import dev.nexus.host.http.Access;
import dev.nexus.host.http.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/users/{id}/export} and {@code DELETE /v1/users/{id}}: a person takes or erases their
 * data; admins may do either for anyone. Erasures are audited (only that one happened, and for whom).
 */
public final class UserDataRoutes {

    /** The erasure route, which the audit log records whoever calls it. */
    public static final String ERASE_PATH = "/v1/users/{id}";

    private final UserData data;

    public UserDataRoutes(UserData data) {
        this.data = data;
    }

    /** Returns the routes. */
    public List<Route> routes() {
        return List.of(
                Route.get(
                        "/v1/users/{id}/export",
                        Access.userInPath("id"),
                        exchange -> exchange.respond(200, data.export(exchange.pathParam("id")))),
                Route.delete(ERASE_PATH, Access.userInPath("id"), exchange -> {
                    String user = exchange.pathParam("id");
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("user", user);
                    body.put("erased", data.erase(user));
                    exchange.respond(200, body);
                }));
    }
}
