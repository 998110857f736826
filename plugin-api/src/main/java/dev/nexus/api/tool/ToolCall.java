package dev.nexus.api.tool;

import java.util.Map;
import java.util.Optional;

/**
 * One call of a tool, with arguments already parsed from JSON. Immutable.
 *
 * @param id the host's id of this call (stable across retries)
 * @param tool the tool name
 * @param arguments the arguments object as JDK values: {@code String}, {@code Long}/{@code Double},
 *     {@code Boolean}, {@code List}, {@code Map}; absent optional arguments are missing keys
 * @param user the user on whose behalf the call is made
 * @param personality the personality making the call
 */
public record ToolCall(String id, String tool, Map<String, Object> arguments, String user, String personality) {

    /** Copies the arguments. */
    public ToolCall {
        arguments = arguments == null
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(arguments));
    }

    /** Returns the argument {@code name} as text, or empty when absent or not a string. */
    public Optional<String> string(String name) {
        return arguments.get(name) instanceof String s ? Optional.of(s) : Optional.empty();
    }
}
