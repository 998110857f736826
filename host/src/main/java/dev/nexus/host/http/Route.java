package dev.nexus.host.http;

import java.util.Objects;

/**
 * One HTTP route a feature contributes. Immutable.
 *
 * @param method the HTTP method in upper case
 * @param path the path with {@code {name}} parameters, e.g. {@code /v1/personalities/{id}}
 * @param access who may call it
 * @param handler what it does
 */
public record Route(String method, String path, Access access, Handler handler) {

    /** Validates the route. */
    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(handler, "handler");
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("route path must start with '/', got '" + path + "'");
        }
        if (path.startsWith("/v1/") && access == Access.PUBLIC) {
            throw new IllegalArgumentException("every /v1 path needs a key; " + path + " cannot be PUBLIC");
        }
    }

    public static Route get(String path, Access access, Handler handler) {
        return new Route("GET", path, access, handler);
    }

    public static Route post(String path, Access access, Handler handler) {
        return new Route("POST", path, access, handler);
    }

    public static Route put(String path, Access access, Handler handler) {
        return new Route("PUT", path, access, handler);
    }

    public static Route delete(String path, Access access, Handler handler) {
        return new Route("DELETE", path, access, handler);
    }
}
