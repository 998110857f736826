package dev.nexus.api.testing;

import dev.nexus.api.PluginConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link PluginConfig} over nested JDK maps, the way the host hands a plugin its YAML section.
 * {@code string("callback.url")} finds {@code {callback: {url: ...}}} as well as a flat key
 * {@code "callback.url"}. Immutable and thread-safe.
 */
public final class MapPluginConfig implements PluginConfig {

    private final Map<String, Object> section;

    /** Copies {@code section} deeply; values are maps, lists, strings, numbers and booleans. */
    public MapPluginConfig(Map<String, ?> section) {
        this.section = freezeMap(section);
    }

    /** Returns an empty configuration. */
    public static MapPluginConfig empty() {
        return new MapPluginConfig(Map.of());
    }

    @Override
    public Optional<String> string(String key) {
        Object value = lookup(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            throw new IllegalArgumentException("plugin config '" + key + "' is a " + kind(value) + ", expected text");
        }
        return Optional.of(value.toString());
    }

    @Override
    public long integer(String key, long fallback) {
        Object value = lookup(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        try {
            return Long.parseLong(value.toString().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("plugin config '" + key + "' must be an integer, got '" + value + "'");
        }
    }

    @Override
    public boolean flag(String key, boolean fallback) {
        Object value = lookup(key);
        if (value == null) {
            return fallback;
        }
        return switch (value.toString().strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(
                    "plugin config '" + key + "' must be true or false, got '" + value + "'");
        };
    }

    @Override
    public List<String> strings(String key) {
        Object value = lookup(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof Map<?, ?>) {
            throw new IllegalArgumentException("plugin config '" + key + "' is a map, expected a list");
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(value.toString());
    }

    @Override
    public Map<String, Object> asMap() {
        return section;
    }

    private Object lookup(String key) {
        if (section.containsKey(key)) {
            return section.get(key);
        }
        Object node = section;
        for (String part : key.split("\\.", -1)) {
            if (!(node instanceof Map<?, ?> map) || !map.containsKey(part)) {
                return null;
            }
            node = map.get(part);
        }
        return node;
    }

    private static String kind(Object value) {
        return value instanceof Map<?, ?> ? "map" : "list";
    }

    private static Map<String, Object> freezeMap(Map<?, ?> map) {
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(String.valueOf(key), freeze(value)));
        return Collections.unmodifiableMap(copy);
    }

    private static Object freeze(Object value) {
        if (value instanceof Map<?, ?> map) {
            return freezeMap(map);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(freeze(item)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }
}
