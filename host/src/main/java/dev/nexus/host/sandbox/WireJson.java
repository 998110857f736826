package dev.nexus.host.sandbox;

import dev.nexus.api.JsonReader;
import java.util.List;
import java.util.Map;

/**
 * The JSON of the sandbox wire protocol, on both ends. The child JVM runs with a minimal class path
 * (no Jackson), so both ends share this codec. Reading is the plugin API's strict {@link JsonReader}
 * (one value, no trailing text, no duplicate keys, nesting bounded to 32 levels here: the host parses
 * what an untrusted child wrote), which depends on the JDK only and so is copied onto the child's class
 * path with the rest. Writing stays here rather than in {@code JsonWriter} because the wire has two
 * needs of its own: non-finite doubles travel as strings ("NaN", "Infinity") and {@code double[]} as an
 * array. Stateless.
 */
final class WireJson {

    /** The text is not JSON this codec accepts; the message says where and why. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    private static final int MAX_DEPTH = 32;

    private WireJson() {}

    /** Parses exactly one JSON value, through the plugin API's reader (on the child's class path too). */
    static Object read(String text) throws Malformed {
        try {
            return JsonReader.read(text, MAX_DEPTH);
        } catch (IllegalArgumentException e) {
            throw new Malformed(e.getMessage());
        }
    }

    /** Writes maps, lists, strings, numbers (non-finite doubles as the strings "NaN", "Infinity"), booleans, null. */
    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case String s -> string(s, out);
            case Boolean b -> out.append(b);
            case Long l -> out.append(l);
            case Integer i -> out.append(i);
            case Double d -> number(d, out);
            case double[] array -> {
                out.append('[');
                for (int i = 0; i < array.length; i++) {
                    out.append(i == 0 ? "" : ",");
                    number(array[i], out);
                }
                out.append(']');
            }
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.append(first ? "" : ",");
                    first = false;
                    string(String.valueOf(entry.getKey()), out);
                    out.append(':');
                    write(entry.getValue(), out);
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    out.append(i == 0 ? "" : ",");
                    write(list.get(i), out);
                }
                out.append(']');
            }
            default ->
                throw new IllegalArgumentException(
                        "cannot write " + value.getClass().getName() + " as wire JSON");
        }
    }

    private static void number(double d, StringBuilder out) {
        if (Double.isFinite(d)) {
            out.append(d);
        } else {
            string(Double.toString(d), out);
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
