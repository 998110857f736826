package dev.nexus.host.interchange;

import dev.nexus.host.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A typed, path-aware view of one JSON object from an untrusted file. Every accessor checks the
 * value's type and fails with an {@link InvalidInputException} that names the field by its path
 * ({@code data.character_book.entries[3].keys[0]}), the expected type and what was found. A JSON
 * {@code null} reads as absent. Immutable.
 *
 * @param map the object's members, in file order
 * @param path the path of this object, e.g. {@code data}; empty for the root
 */
record JsonObject(Map<String, Object> map, String path) {

    /** Marks a member that is not present at all, as opposed to present with the value null. */
    static final Object ABSENT = new Object() {
        @Override
        public String toString() {
            return "<absent>";
        }
    };

    /** Returns {@code value} as an object; {@code what} names the document in the message. */
    @SuppressWarnings("unchecked")
    static JsonObject root(Object value, String what) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidInputException(what + " must be a JSON object but is " + describe(value)
                    + "; send the file exactly as the editor exported it");
        }
        return new JsonObject((Map<String, Object>) map, "");
    }

    /** Returns the path of member {@code key}. */
    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        return map.containsKey(key);
    }

    /** Returns the member's value, {@code null} for JSON null and {@link #ABSENT} when missing. */
    Object raw(String key) {
        return map.containsKey(key) ? map.get(key) : ABSENT;
    }

    Optional<String> string(String key) {
        Object value = map.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String s) {
            return Optional.of(s);
        }
        throw wrongType(path(key), "a string", value);
    }

    /** Returns the string member, or empty text when missing or null. */
    String text(String key) {
        return string(key).orElse("");
    }

    Optional<Boolean> bool(String key) {
        Object value = map.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Boolean b) {
            return Optional.of(b);
        }
        throw wrongType(path(key), "true or false", value);
    }

    /**
     * Reads a boolean that some editors write as text or a number: {@code "true"}/{@code "false"}
     * (any case), {@code 1}/{@code 0} and {@code "1"}/{@code "0"} are read with a warning naming the
     * field; anything else is refused like {@link #bool}.
     */
    Optional<Boolean> lenientBool(String key, java.util.List<String> warnings) {
        Object value = map.get(key);
        Boolean read = switch (value) {
            case null -> null;
            case Boolean b -> b;
            case Number n when n.doubleValue() == 0 || n.doubleValue() == 1 -> n.doubleValue() == 1;
            case String s when s.strip().equalsIgnoreCase("true") || s.strip().equals("1") -> true;
            case String s when s.strip().equalsIgnoreCase("false") || s.strip().equals("0") -> false;
            default -> throw wrongType(path(key), "true or false", value);
        };
        if (read != null && !(value instanceof Boolean)) {
            warnings.add("'" + path(key) + "' is " + describe(value) + " instead of " + read + "; read as " + read);
        }
        return Optional.ofNullable(read);
    }

    /** Reads a whole number that some editors write as text ({@code "100"}), with a warning naming the field. */
    Optional<Integer> lenientInteger(String key, java.util.List<String> warnings) {
        if (map.get(key) instanceof String s && s.strip().matches("-?[0-9]{1,9}")) {
            int read = Integer.parseInt(s.strip());
            warnings.add(
                    "'" + path(key) + "' is " + describe(s) + " instead of the number " + read + "; read as " + read);
            return Optional.of(read);
        }
        return integer(key);
    }

    Optional<Number> number(String key) {
        Object value = map.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Number n) {
            return Optional.of(n);
        }
        throw wrongType(path(key), "a number", value);
    }

    /** Returns the member as an int, rounding fractions and clamping to the int range. */
    Optional<Integer> integer(String key) {
        return number(key).map(JsonObject::toInt);
    }

    @SuppressWarnings("unchecked")
    Optional<JsonObject> object(String key) {
        Object value = map.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Map<?, ?> m) {
            return Optional.of(new JsonObject((Map<String, Object>) m, path(key)));
        }
        throw wrongType(path(key), "an object", value);
    }

    @SuppressWarnings("unchecked")
    Optional<List<Object>> array(String key) {
        Object value = map.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof List<?> list) {
            return Optional.of((List<Object>) list);
        }
        throw wrongType(path(key), "an array", value);
    }

    /** Returns the member as a list of strings; null elements and other types are refused. */
    Optional<List<String>> strings(String key) {
        return array(key).map(list -> strings(list, path(key)));
    }

    /** Checks that every element of {@code list} is a string. */
    static List<String> strings(List<?> list, String path) {
        List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            if (!(item instanceof String s)) {
                throw wrongType(path + "[" + i + "]", "a string", item);
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    /** Returns element {@code index} of {@code list} as an object. */
    @SuppressWarnings("unchecked")
    static JsonObject element(List<?> list, int index, String path) {
        Object item = list.get(index);
        String itemPath = path + "[" + index + "]";
        if (!(item instanceof Map<?, ?> m)) {
            throw wrongType(itemPath, "an object", item);
        }
        return new JsonObject((Map<String, Object>) m, itemPath);
    }

    /** Returns the members whose names are not in {@code known}, in file order. */
    Map<String, Object> unknown(Set<String> known) {
        LinkedHashMap<String, Object> rest = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            if (!known.contains(key)) {
                rest.put(key, value);
            }
        });
        return Collections.unmodifiableMap(rest);
    }

    static int toInt(Number number) {
        double value = number.doubleValue();
        if (number instanceof Integer i) {
            return i;
        }
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.round(value)));
    }

    static InvalidInputException wrongType(String path, String expected, Object value) {
        return new InvalidInputException("'" + path + "' must be " + expected + " but is " + describe(value)
                + "; correct that field (a card editor shows it) and import the file again");
    }

    /** Describes a JSON value for a message without echoing more than a short prefix of it. */
    static String describe(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> "the string \"" + InvalidInputException.cap(s) + "\"";
            case Number n -> "the number " + InvalidInputException.cap(n.toString());
            case Boolean b -> "the boolean " + b;
            case Map<?, ?> m -> "an object";
            case List<?> l -> "an array";
            default -> value.getClass().getSimpleName();
        };
    }
}
