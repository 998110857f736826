package dev.nexus.host.http;

import java.util.Objects;

/**
 * One HTTP route a feature contributes. Immutable.
 *
 * @param method the HTTP method in upper case
 * @param path the path with {@code {name}} parameters, e.g. {@code /v1/personalities/{id}}
 * @param access who may call it and whose data it reaches; every route declares its rule (see {@link Access})
 * @param handler what it does
 * @param maxBodyBytes the largest request body this route accepts, or 0 for {@code server.max-body-bytes}
 * @param errors the shape its error responses take (problem documents unless a wire format says otherwise)
 */
public record Route(String method, String path, Access access, Handler handler, long maxBodyBytes, ErrorShape errors) {

    /** How a route's failures are written. */
    public enum ErrorShape {
        /** RFC 9457 problem documents, as everywhere in the Nexus API. */
        PROBLEM,
        /** OpenAI's {@code {"error":{"message","type","param","code"}}}, for the OpenAI-compatible paths only. */
        OPENAI
    }

    /** A route that accepts bodies up to {@code server.max-body-bytes}. */
    public Route(String method, String path, Access access, Handler handler) {
        this(method, path, access, handler, 0);
    }

    /** A route whose errors are problem documents. */
    public Route(String method, String path, Access access, Handler handler, long maxBodyBytes) {
        this(method, path, access, handler, maxBodyBytes, ErrorShape.PROBLEM);
    }

    /** Validates the route. */
    public Route {
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException(
                    "maxBodyBytes must be 0 (server default) or positive, got " + maxBodyBytes);
        }
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(errors, "errors");
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("route path must start with '/', got '" + path + "'");
        }
        if (path.startsWith("/v1/") && access == Access.PUBLIC) {
            throw new IllegalArgumentException("every /v1 path needs a key; " + path + " cannot be PUBLIC");
        }
        access.parameter().ifPresent(name -> {
            if (!path.contains("{" + name + "}")) {
                throw new IllegalArgumentException("route " + path + " declares ownership by path parameter '" + name
                        + "' but has no {" + name + "} in its path");
            }
        });
    }

    /**
     * Returns this route with its own body limit, for uploads that legitimately exceed the server's
     * (e.g. character cards embedded in large PNGs).
     */
    public Route withMaxBodyBytes(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("a route's body limit must be positive, got " + limit);
        }
        return new Route(method, path, access, handler, limit, errors);
    }

    /** Returns this route answering its errors in {@code shape}. */
    public Route withErrors(ErrorShape shape) {
        return new Route(method, path, access, handler, maxBodyBytes, shape);
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
