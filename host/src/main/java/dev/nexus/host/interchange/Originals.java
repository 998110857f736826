package dev.nexus.host.interchange;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Remembers how the fields of one imported JSON object were spelled when that spelling differs from
 * what the exporter would write for the same native value (a missing optional field, a JSON null,
 * {@code <BOT>} instead of {@code {{char}}}, {@code 100.0} instead of {@code 100}, a hand-formatted
 * {@code mes_example}). On export the original spelling is written back as long as it still means the
 * current native value; once the value was changed, the canonical spelling of the new value is
 * written. That makes an unchanged import export byte-for-byte the same fields without storing a
 * second copy of fields that were already canonical.
 *
 * <p>Stored inside {@code extensions} as {@code {"raw": {...}, "absent": [...], "null": [...]}}.
 * Mutable while importing, confined to one thread.
 */
final class Originals {

    private final LinkedHashMap<String, Object> raw = new LinkedHashMap<>();
    private final List<String> absent = new ArrayList<>();
    private final List<String> nulls = new ArrayList<>();

    /**
     * Records {@code rawValue} (possibly {@link JsonObject#ABSENT} or null) for {@code key} when the
     * canonical form of the native value differs from it.
     */
    void remember(String key, Object rawValue, Object canonical) {
        if (Objects.equals(rawValue, canonical)) {
            return;
        }
        if (rawValue == JsonObject.ABSENT) {
            absent.add(key);
        } else if (rawValue == null) {
            nulls.add(key);
        } else {
            raw.put(key, rawValue);
        }
    }

    /**
     * Returns what to write for {@code key}: the remembered original when {@code parse} maps it to
     * {@code current}, otherwise {@code canonical}. May return {@link JsonObject#ABSENT} (omit the field)
     * or null (write JSON null). {@code required} fields are never omitted nor written as null.
     */
    <T> Object restore(String key, T current, Function<Object, T> parse, Object canonical, boolean required) {
        Object original = original(key);
        if (original == NONE || (required && (original == JsonObject.ABSENT || original == null))) {
            return canonical;
        }
        try {
            return Objects.equals(parse.apply(original), current) ? original : canonical;
        } catch (RuntimeException stale) {
            // A remembered spelling that no longer parses (the stored extensions were edited by hand)
            // is simply not reused.
            return canonical;
        }
    }

    private static final Object NONE = new Object();

    private Object original(String key) {
        if (raw.containsKey(key)) {
            return raw.get(key);
        }
        if (absent.contains(key)) {
            return JsonObject.ABSENT;
        }
        if (nulls.contains(key)) {
            return null;
        }
        return NONE;
    }

    boolean isEmpty() {
        return raw.isEmpty() && absent.isEmpty() && nulls.isEmpty();
    }

    /** Returns the JDK-tree form stored in extensions. */
    Map<String, Object> toMap() {
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        if (!raw.isEmpty()) {
            out.put("raw", Collections.unmodifiableMap(new LinkedHashMap<>(raw)));
        }
        if (!absent.isEmpty()) {
            out.put("absent", List.copyOf(absent));
        }
        if (!nulls.isEmpty()) {
            out.put("null", List.copyOf(nulls));
        }
        return Collections.unmodifiableMap(out);
    }

    /** Reads the stored form back; anything malformed is ignored (the canonical form is then written). */
    static Originals fromMap(Object stored) {
        Originals originals = new Originals();
        if (stored instanceof Map<?, ?> map) {
            if (map.get("raw") instanceof Map<?, ?> rawMap) {
                rawMap.forEach((key, value) -> originals.raw.put(String.valueOf(key), value));
            }
            if (map.get("absent") instanceof List<?> list) {
                list.forEach(key -> originals.absent.add(String.valueOf(key)));
            }
            if (map.get("null") instanceof List<?> list) {
                list.forEach(key -> originals.nulls.add(String.valueOf(key)));
            }
        }
        return originals;
    }
}
