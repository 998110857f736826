package dev.nexus.host.http;

import dev.nexus.host.auth.Caller;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request and its response, as feature code sees it. Confined to the handling thread.
 */
public interface Exchange {

    /** Returns the HTTP method in upper case. */
    String method();

    /** Returns the request path. */
    String path();

    /** Returns the path parameter {@code name} (declared as {@code {name}} in the route). */
    String pathParam(String name);

    /** Returns the first query parameter {@code name}, or empty. */
    Optional<String> query(String name);

    /** Returns the first value of the request header {@code name}, compared case-insensitively. */
    Optional<String> header(String name);

    /** Returns all request headers, names in lower case. */
    Map<String, List<String>> headers();

    /** Returns the request's media type without parameters, or empty. */
    Optional<String> contentType();

    /**
     * Returns the request body; read once and cached.
     *
     * @throws dev.nexus.host.PayloadTooLargeException past the configured {@code server.max-body-bytes}
     */
    byte[] bodyBytes();

    /**
     * Parses the body as JSON into {@code type}: strict (unknown fields, wrong types, malformed JSON
     * are {@link dev.nexus.host.InvalidInputException}s naming the field); an empty body is invalid too.
     */
    <T> T json(Class<T> type);

    /**
     * Refuses a request that carries a body, for routes that take none (an ignored body is a client
     * bug, e.g. parameters sent to the wrong route).
     *
     * @throws dev.nexus.host.InvalidInputException when the body is not empty or cannot be read
     */
    void requireNoBody();

    /** Returns the authenticated caller; {@link Caller#anonymous()} on public routes. */
    Caller caller();

    /** Responds with {@code body} serialised as JSON. */
    void respond(int status, Object body);

    /** Responds with raw bytes. */
    void respondBytes(int status, String contentType, byte[] body);

    /** Sets a response header. */
    void header(String name, String value);

    /**
     * Switches the response to Server-Sent Events (status 200) and returns the stream. Takes one of the
     * caller's concurrent streams (see {@link #reserveStream()}), held until the handler returns.
     *
     * @throws dev.nexus.host.TooManyRequestsException (429) when the caller's key holds as many open
     *     streams as its scope allows; nothing has been written then
     */
    EventStream events();

    /**
     * Takes one of the caller's concurrent streams now, for a handler that opens its stream only later
     * (at the model's first token) and must not start the work when the key has no stream left.
     * Idempotent; {@link #events()} then uses the stream reserved here. Held until the handler returns.
     *
     * @throws dev.nexus.host.TooManyRequestsException (429) when the caller's key holds as many open
     *     streams as its scope allows
     */
    void reserveStream();
}
