package dev.nexus.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one {@link PluginConfig} implementation, shared by the host and the test fake so that a plugin
 * that passes its contract test reads its configuration the same way in the host. Created through
 * {@link PluginConfig#of(Map)}.
 *
 * <p>Rules: a flat key ({@code "callback.url"} as one key) wins over the nested path
 * ({@code {callback: {url: …}}}); an integer is an integral number or a text of digits, and a number
 * with a zero fraction ({@code 3.0}) counts as an integer while {@code 3.5} does not; a flag is a
 * boolean or the text {@code true}/{@code false} in any letter case; asking for a scalar where the
 * section holds a map or a list fails naming the key. Immutable and thread-safe.
 */
final class SectionConfig implements PluginConfig {

    private static final int MAX_ECHO = 80;

    private final Map<String, Object> section;

    SectionConfig(Map<String, ?> section) {
        this.section = freezeMap(section == null ? Map.of() : section);
    }

    @Override
    public Optional<String> string(String key) {
        Object value = lookup(key);
        if (value == null) {
            return Optional.empty();
        }
        requireScalar(key, value, "text");
        return Optional.of(value.toString());
    }

    @Override
    public long integer(String key, long fallback) {
        Object value = lookup(key);
        if (value == null) {
            return fallback;
        }
        requireScalar(key, value, "an integer");
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        try {
            BigDecimal number = value instanceof Number n
                    ? new BigDecimal(n.toString())
                    : new BigDecimal(value.toString().strip());
            return number.stripTrailingZeros().scale() <= 0 ? number.longValueExact() : notInteger(key, value);
        } catch (NumberFormatException | ArithmeticException e) {
            return notInteger(key, value);
        }
    }

    @Override
    public boolean flag(String key, boolean fallback) {
        Object value = lookup(key);
        if (value == null) {
            return fallback;
        }
        requireScalar(key, value, "true or false");
        return switch (value.toString().strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default ->
                throw new IllegalArgumentException(
                        "plugin config '" + key + "' must be true or false, got '" + echo(value) + "'");
        };
    }

    @Override
    public List<String> strings(String key) {
        Object value = lookup(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof Map<?, ?>) {
            throw new IllegalArgumentException("plugin config '" + key + "' is a map, expected a list of texts");
        }
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> || item instanceof List<?>) {
                    throw new IllegalArgumentException(
                            "plugin config '" + key + "' must be a list of texts, but an item is a "
                                    + (item instanceof Map<?, ?> ? "map" : "list"));
                }
            }
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(value.toString());
    }

    @Override
    public Map<String, Object> asMap() {
        return section;
    }

    @Override
    public String toString() {
        return "PluginConfig" + section.keySet();
    }

    private Object lookup(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("plugin config key must not be blank");
        }
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

    private static void requireScalar(String key, Object value, String expected) {
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            throw new IllegalArgumentException("plugin config '" + key + "' is a "
                    + (value instanceof Map<?, ?> ? "map" : "list") + ", expected " + expected);
        }
    }

    private static long notInteger(String key, Object value) {
        throw new IllegalArgumentException("plugin config '" + key + "' must be an integer, got '" + echo(value) + "'");
    }

    private static String echo(Object value) {
        String text = String.valueOf(value);
        return text.length() <= MAX_ECHO ? text : text.substring(0, MAX_ECHO) + "…";
    }

    private static Map<String, Object> freezeMap(Map<?, ?> map) {
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            if (value != null) {
                copy.put(String.valueOf(key), freeze(value));
            }
        });
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
        if (value instanceof BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        return value;
    }
}
