package dev.nexus.api.platform;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request the host forwards to a connector. Immutable. Header names are compared case-insensitively.
 *
 * <p>The host parses a body that is a JSON object with its own strict reader (limits on depth and
 * size, duplicate keys refused, valid UTF-8 and Unicode only) and hands the result to the connector
 * through {@link #json()}, so connectors never parse JSON themselves.
 *
 * @param method the HTTP method in upper case
 * @param path the path below {@code /hooks/<platform>}, starting with {@code /} (just {@code /} when none)
 * @param headers the request headers, names in lower case
 * @param body the raw request body (already limited in size by the host), e.g. for signature checks
 * @param parsedJson the body as the host parsed it, when it is a JSON object (see {@link #json()})
 * @param jsonProblem why the body is not a usable JSON object, naming the problem; empty when it is
 */
public record HttpInbound(
        String method,
        String path,
        Map<String, List<String>> headers,
        byte[] body,
        Map<String, Object> parsedJson,
        String jsonProblem) {

    /** Said by {@link #json()} for a request the host did not parse (built by hand, e.g. in a test). */
    public static final String NOT_PARSED = "the body was not parsed as JSON by the host";

    /** Normalises header names to lower case and copies everything. */
    public HttpInbound {
        TreeMap<String, List<String>> lower = new TreeMap<>();
        if (headers != null) {
            headers.forEach((name, values) -> lower.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        }
        headers = Collections.unmodifiableMap(lower);
        body = body == null ? new byte[0] : body.clone();
        // JSON null is a value, so the copy keeps null values (Map.copyOf would refuse them).
        parsedJson = parsedJson == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parsedJson));
        jsonProblem = jsonProblem == null ? "" : jsonProblem;
    }

    /**
     * A request whose body the host has not parsed: {@link #json()} refuses with {@link #NOT_PARSED}.
     * Connectors that read JSON get their requests from the host (or, in tests, from the host's
     * testing helpers), which parse the body.
     */
    public HttpInbound(String method, String path, Map<String, List<String>> headers, byte[] body) {
        this(method, path, headers, body, Map.of(), NOT_PARSED);
    }

    /**
     * Returns the body as the JSON object the host parsed: ordered maps, lists, strings, whole
     * numbers as {@code Integer}, {@code Long} or {@code BigInteger}, other numbers as {@code Double},
     * booleans and {@code null}. Unmodifiable.
     *
     * @throws IllegalArgumentException when the body is not a JSON object (empty, malformed, too deep,
     *     another JSON value, or not parsed by the host); the message says which, for a 400 reply
     */
    public Map<String, Object> json() {
        if (!jsonProblem.isEmpty()) {
            throw new IllegalArgumentException(jsonProblem);
        }
        return parsedJson;
    }

    /** Returns the first value of the header {@code name}, compared case-insensitively. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Returns a copy of the body. */
    @Override
    public byte[] body() {
        return body.clone();
    }
}
