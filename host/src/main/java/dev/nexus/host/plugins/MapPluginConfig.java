package dev.nexus.host.plugins;

import dev.nexus.api.PluginConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A plugin's configuration section as nested maps; dotted keys reach into nested maps. Immutable. */
final class MapPluginConfig implements PluginConfig {

    private final Map<String, Object> values;

    MapPluginConfig(Map<String, Object> values) {
        this.values = deepCopy(values);
    }

    @Override
    public Optional<String> string(String key) {
        return value(key).map(String::valueOf);
    }

    @Override
    public long integer(String key, long fallback) {
        Optional<Object> value = value(key);
        if (value.isEmpty()) {
            return fallback;
        }
        if (value.get() instanceof Number number && number.doubleValue() == number.longValue()) {
            return number.longValue();
        }
        try {
            return Long.parseLong(String.valueOf(value.get()).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("config key '" + key + "' must be an integer, got '" + value.get() + "'");
        }
    }

    @Override
    public boolean flag(String key, boolean fallback) {
        Optional<Object> value = value(key);
        if (value.isEmpty()) {
            return fallback;
        }
        String text = String.valueOf(value.get()).strip();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new IllegalArgumentException("config key '" + key + "' must be true or false, got '" + text + "'");
    }

    @Override
    public List<String> strings(String key) {
        Optional<Object> value = value(key);
        if (value.isEmpty()) {
            return List.of();
        }
        if (value.get() instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(value.get()));
    }

    @Override
    public Map<String, Object> asMap() {
        return values;
    }

    private Optional<Object> value(String key) {
        Object current = values;
        for (String part : key.split("\\.")) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(part)) {
                return Optional.empty();
            }
            current = map.get(part);
        }
        return Optional.ofNullable(current);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> map) {
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, copyValue(v)));
        return Collections.unmodifiableMap(copy);
    }

    @SuppressWarnings("unchecked")
    private static Object copyValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            return deepCopy((Map<String, Object>) map);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(item -> copy.add(copyValue(item)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }
}
