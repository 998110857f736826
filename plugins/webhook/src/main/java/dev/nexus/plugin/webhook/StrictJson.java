package dev.nexus.plugin.webhook;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader (RFC 8259) and string quoter, so this plugin needs nothing but the JDK.
 * Objects become maps, arrays lists, numbers {@link Long} or {@link Double}, {@code null} Java null.
 * Refuses duplicate keys, trailing commas, comments, trailing data and nesting deeper than 32 with an
 * {@link IllegalArgumentException} naming the offset.
 * Stateless; each parse is confined to its caller.
 */
final class StrictJson {

    private static final int MAX_DEPTH = 32;

    private final String text;
    private int pos;

    private StrictJson(String text) {
        this.text = text;
    }

    /** Parses a document whose top level must be an object. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parseObject(String json) {
        StrictJson parser = new StrictJson(json);
        parser.space();
        if (parser.peek() != '{') {
            throw parser.error("expected a JSON object");
        }
        Object value = parser.value(0);
        parser.space();
        if (parser.pos != json.length()) {
            throw parser.error("unexpected data after the object");
        }
        return (Map<String, Object>) value;
    }

    /** Returns {@code text} as a JSON string literal. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH);
        }
        char c = peek();
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            case '\u0000' -> throw error("unexpected end of input");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Map<String, Object> object(int depth) {
        pos++;
        LinkedHashMap<String, Object> map = new LinkedHashMap<>();
        space();
        if (peek() == '}') {
            pos++;
            return Collections.unmodifiableMap(map);
        }
        while (true) {
            space();
            if (peek() != '"') {
                throw error("expected a quoted field name");
            }
            int at = pos;
            String key = string();
            space();
            expect(':');
            space();
            Object value = value(depth + 1);
            if (map.containsKey(key)) {
                pos = at;
                throw error("duplicate field '" + cap(key) + "'");
            }
            map.put(key, value);
            space();
            char next = peek();
            if (next == '}') {
                pos++;
                return Collections.unmodifiableMap(map);
            }
            expect(',');
        }
    }

    private List<Object> array(int depth) {
        pos++;
        List<Object> list = new ArrayList<>();
        space();
        if (peek() == ']') {
            pos++;
            return Collections.unmodifiableList(list);
        }
        while (true) {
            space();
            list.add(value(depth + 1));
            space();
            if (peek() == ']') {
                pos++;
                return Collections.unmodifiableList(list);
            }
            expect(',');
        }
    }

    private String string() {
        pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error("unescaped control character in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char escape = pos < text.length() ? text.charAt(pos++) : '\u0000';
            switch (escape) {
                case '"', '\\', '/' -> out.append(escape);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(unicodeEscape());
                default -> throw error("invalid escape in a string");
            }
        }
    }

    private char unicodeEscape() {
        if (pos + 4 > text.length()) {
            throw error("truncated \\u escape");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(pos + i), 16);
            if (digit < 0) {
                throw error("invalid \\u escape");
            }
            value = value * 16 + digit;
        }
        pos += 4;
        return (char) value;
    }

    private Number number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) {
                pos++;
            }
        } else {
            throw error("invalid number");
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            pos++;
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            digits();
        }
        String literal = text.substring(start, pos);
        if (integral && literal.length() <= 18) {
            return Long.parseLong(literal);
        }
        return Double.parseDouble(literal);
    }

    private void digits() {
        if (!isDigit(peek())) {
            throw error("expected a digit");
        }
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected character '" + peek() + "'");
        }
        pos += word.length();
        return value;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error(pos >= text.length() ? "unexpected end of input" : "expected '" + c + "'");
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\u0000';
    }

    private void space() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("invalid JSON at offset " + pos + ": " + what);
    }

    private static String cap(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
