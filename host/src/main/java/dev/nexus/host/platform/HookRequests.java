package dev.nexus.host.platform;

import dev.nexus.api.platform.HttpInbound;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.json.Json;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link HttpInbound} a connector receives: the body is parsed once, here, with the
 * host's strict JSON reader ({@code host.json}), so that connectors read values instead of parsing
 * JSON by hand. Used by {@code /hooks/{platform}} and by plugin tests that need requests exactly as
 * the host makes them. Stateless.
 */
public final class HookRequests {

    private HookRequests() {}

    /** Returns the request with its body parsed as a JSON object, or with the reason it is not one. */
    public static HttpInbound of(String method, String path, Map<String, List<String>> headers, byte[] body) {
        try {
            return new HttpInbound(method, path, headers, body, Json.readObject(body), "");
        } catch (InvalidInputException e) {
            return new HttpInbound(method, path, headers, body, Map.of(), e.getMessage());
        }
    }
}
