package dev.nexus.api;

import java.util.List;
import java.util.Map;

/**
 * Writes JSON from JDK values, so that plugins never build JSON by concatenating strings: maps
 * (keys written with {@code String.valueOf}, in the map's order), lists, strings, numbers, booleans
 * and {@code null}. Plugins only write JSON: the host parses what reaches them (for example
 * {@link dev.nexus.api.platform.HttpInbound#json()}), with its own limits. Stateless and thread-safe.
 */
public final class JsonWriter {

    private JsonWriter() {}

    /**
     * Returns {@code value} as compact JSON text.
     *
     * @throws IllegalArgumentException for a value of another type, or a number that is not finite
     *     (JSON has no NaN or infinity)
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    /** Returns {@code text} as a JSON string literal, quotes included. */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2);
        writeString(text, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case String s -> writeString(s, out);
            case Boolean b -> out.append(b);
            case Double d
            when !Double.isFinite(d) ->
                throw new IllegalArgumentException("JSON has no " + d + "; send a finite number");
            case Float f
            when !Float.isFinite(f) ->
                throw new IllegalArgumentException("JSON has no " + f + "; send a finite number");
            case Number n -> out.append(n);
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    writeString(String.valueOf(entry.getKey()), out);
                    out.append(':');
                    write(entry.getValue(), out);
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(list.get(i), out);
                }
                out.append(']');
            }
            default ->
                throw new IllegalArgumentException(
                        "cannot write a " + value.getClass().getSimpleName()
                                + " as JSON; use maps, lists, strings, numbers, booleans or null");
        }
    }

    private static void writeString(String s, StringBuilder out) {
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
                    boolean paired = Character.isHighSurrogate(c)
                            && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1));
                    if (paired) {
                        out.append(c).append(s.charAt(++i));
                    } else if (c < 0x20 || Character.isSurrogate(c)) {
                        // Control characters must be escaped; a lone surrogate is escaped so the output stays valid
                        // UTF-8.
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
