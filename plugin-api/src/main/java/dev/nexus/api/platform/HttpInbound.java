package dev.nexus.api.platform;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request the host forwards to a connector. Immutable. Header names are compared case-insensitively.
 *
 * @param method the HTTP method in upper case
 * @param path the path below {@code /hooks/<platform>}, starting with {@code /} (just {@code /} when none)
 * @param headers the request headers, names in lower case
 * @param body the raw request body (already limited in size by the host)
 */
public record HttpInbound(String method, String path, Map<String, List<String>> headers, byte[] body) {

    /** Normalises header names to lower case and copies everything. */
    public HttpInbound {
        TreeMap<String, List<String>> lower = new TreeMap<>();
        if (headers != null) {
            headers.forEach((name, values) -> lower.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        }
        headers = java.util.Collections.unmodifiableMap(lower);
        body = body == null ? new byte[0] : body.clone();
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
