package dev.nexus.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON into JDK values, for plugins that talk to a remote service (a platform's or an API's
 * answers); what reaches a plugin from the host arrives parsed already (for example
 * {@link dev.nexus.api.platform.HttpInbound#json()}). The one hand-written reader of the project: the
 * plugin API depends on the JDK only, so plugins, the contract tests' helpers and the sandbox child
 * (which runs without the host's libraries) all share it. Its writing twin is {@link JsonWriter}.
 *
 * <p>Objects become unmodifiable insertion-ordered maps, arrays unmodifiable lists, integers that fit
 * {@code Long} become {@code Long}, other numbers {@code Double}, JSON null Java {@code null}. Strict,
 * because the text may come from anyone: exactly one value (RFC 8259 grammar, no comments, no
 * trailing commas, no trailing text), duplicate keys refused, nesting bounded (no stack overflow on
 * hostile input), and error messages that say what and where without echoing more than a few dozen
 * characters of the text. Stateless and thread-safe.
 */
public final class JsonReader {

    /** The nesting limit of {@link #read(String)}: deeper text is refused. */
    public static final int DEFAULT_MAX_DEPTH = 64;

    private static final int QUOTED = 40;

    private final String text;
    private final int maxDepth;
    private int at;

    private JsonReader(String text, int maxDepth) {
        this.text = text;
        this.maxDepth = maxDepth;
    }

    /**
     * Reads exactly one JSON value, nested at most {@link #DEFAULT_MAX_DEPTH} levels.
     *
     * @throws IllegalArgumentException saying what is wrong and at which offset
     */
    public static Object read(String json) {
        return read(json, DEFAULT_MAX_DEPTH);
    }

    /**
     * Reads exactly one JSON value, nested at most {@code maxDepth} levels.
     *
     * @throws IllegalArgumentException saying what is wrong and at which offset
     */
    public static Object read(String json, int maxDepth) {
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be at least 1, was " + maxDepth);
        }
        JsonReader reader = new JsonReader(json, maxDepth);
        Object value = reader.value(0);
        reader.skipSpace();
        if (reader.at != json.length()) {
            throw reader.error("unexpected text after the value");
        }
        return value;
    }

    /**
     * Reads a JSON object.
     *
     * @throws IllegalArgumentException when the text is not JSON or its value is not an object
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readObject(String json) {
        Object value = read(json);
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException("expected a JSON object, found " + kind(value));
    }

    private static String kind(Object value) {
        return switch (value) {
            case null -> "null";
            case List<?> list -> "an array";
            case String s -> "a string";
            case Boolean b -> "a boolean";
            default -> "a number";
        };
    }

    private Object value(int depth) {
        skipSpace();
        if (at >= text.length()) {
            throw error("unexpected end of input");
        }
        char c = text.charAt(at);
        if ((c == '{' || c == '[') && depth >= maxDepth) {
            throw error("nested deeper than " + maxDepth + " levels");
        }
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || isDigit(c)) {
                    yield number();
                }
                throw error("unexpected character " + quoted(String.valueOf(c)));
            }
        };
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        at++;
        skipSpace();
        if (peek() == '}') {
            at++;
            return Collections.unmodifiableMap(map);
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("expected a string key");
            }
            String key = string();
            skipSpace();
            expect(':');
            if (map.containsKey(key)) {
                throw error("duplicate key " + quoted(key));
            }
            map.put(key, value(depth + 1));
            skipSpace();
            char c = next();
            if (c == '}') {
                return Collections.unmodifiableMap(map);
            }
            if (c != ',') {
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) {
        List<Object> list = new ArrayList<>();
        at++;
        skipSpace();
        if (peek() == ']') {
            at++;
            return Collections.unmodifiableList(list);
        }
        while (true) {
            list.add(value(depth + 1));
            skipSpace();
            char c = next();
            if (c == ']') {
                return Collections.unmodifiableList(list);
            }
            if (c != ',') {
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() {
        at++;
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error("control character in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char escape = next();
            switch (escape) {
                case '"', '\\', '/' -> out.append(escape);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(unicodeEscape());
                default -> throw error("bad escape " + quoted("\\" + escape));
            }
        }
    }

    private char unicodeEscape() {
        if (at + 4 > text.length()) {
            throw error("truncated \\u escape");
        }
        int code = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(at + i), 16);
            if (digit < 0 || text.charAt(at + i) > 'f') {
                throw error("bad \\u escape");
            }
            code = code * 16 + digit;
        }
        at += 4;
        return (char) code;
    }

    /** RFC 8259: {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}. */
    private Object number() {
        int start = at;
        boolean integral = true;
        boolean valid = true;
        if (peek(0) == '-') {
            at++;
        }
        if (peek(0) == '0') {
            at++;
        } else {
            valid = digits();
        }
        if (valid && peek(0) == '.') {
            integral = false;
            at++;
            valid = digits();
        }
        if (valid && (peek(0) == 'e' || peek(0) == 'E')) {
            integral = false;
            at++;
            if (peek(0) == '+' || peek(0) == '-') {
                at++;
            }
            valid = digits();
        }
        if (!valid || isDigit(peek(0)) || peek(0) == '.' || peek(0) == 'e' || peek(0) == 'E') {
            while (at < text.length() && "+-.eE0123456789".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            throw error("bad number " + quoted(text.substring(start, at)));
        }
        String literal = text.substring(start, at);
        if (integral) {
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException tooLong) {
                return Double.parseDouble(literal);
            }
        }
        return Double.parseDouble(literal);
    }

    private boolean digits() {
        if (!isDigit(peek(0))) {
            return false;
        }
        while (isDigit(peek(0))) {
            at++;
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, at)) {
            throw error("unexpected literal");
        }
        at += word.length();
        return value;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        at++;
    }

    /** The next character; the end of the text is an error. */
    private char peek() {
        if (at >= text.length()) {
            throw error("unexpected end of input");
        }
        return text.charAt(at);
    }

    /** The character {@code ahead} places on, or NUL past the end. */
    private char peek(int ahead) {
        return at + ahead < text.length() ? text.charAt(at + ahead) : '\u0000';
    }

    private char next() {
        char c = peek();
        at++;
        return c;
    }

    private void skipSpace() {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
    }

    /** A piece of the text for an error message: short, with control characters escaped. */
    private static String quoted(String piece) {
        StringBuilder out = new StringBuilder("'");
        int end = Math.min(piece.length(), QUOTED);
        for (int i = 0; i < end; i++) {
            char c = piece.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        out.append('\'');
        if (piece.length() > QUOTED) {
            out.append(" (").append(piece.length()).append(" characters)");
        }
        return out.toString();
    }

    private IllegalArgumentException error(String why) {
        return new IllegalArgumentException(why + " at offset " + at);
    }
}
