package dev.nexus.host.persona;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Typed access to the fields of one parsed document, recording a problem with its field path for
 * every value of the wrong type instead of throwing. Confined to one read.
 */
final class DocumentFields {

    private static final Pattern CAMEL = Pattern.compile("[a-z]+(?:[A-Z][a-z0-9]*)+");

    private final String file;
    private final List<BundleProblem> problems = new ArrayList<>();

    DocumentFields(String file) {
        this.file = file;
    }

    /** Records a problem at {@code field}. */
    void problem(String field, String message) {
        problems.add(new BundleProblem(file, field, message));
    }

    /** Returns the problems recorded so far, in document order. */
    List<BundleProblem> problems() {
        return List.copyOf(problems);
    }

    /** Returns how many problems were recorded so far. */
    int count() {
        return problems.size();
    }

    /** Renames camelCase keys to kebab-case, reporting unknown and duplicated keys. */
    Map<String, Object> normalised(Map<?, ?> raw, String prefix, List<String> known) {
        LinkedHashMap<String, Object> result = new LinkedHashMap<>();
        raw.forEach((rawKey, value) -> {
            String given = String.valueOf(rawKey);
            String key = kebab(given);
            if (!known.contains(key)) {
                String hint = prefix.isEmpty() ? "; put custom data under 'extensions'" : "";
                problem(prefix + given, "is not a known field (known: " + String.join(", ", known) + ")" + hint);
                return;
            }
            if (result.containsKey(key)) {
                problem(prefix + key, "is given twice (also as '" + given + "'); keep one");
                return;
            }
            result.put(key, value);
        });
        return result;
    }

    /** Turns {@code systemPrompt} into {@code system-prompt}; other keys are returned unchanged. */
    static String kebab(String key) {
        if (!CAMEL.matcher(key).matches()) {
            return key;
        }
        StringBuilder out = new StringBuilder();
        for (char c : key.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    String text(Map<String, Object> map, String key) {
        return text(map, key, key);
    }

    String text(Map<String, Object> map, String key, String path) {
        Object value = map.get(key);
        if (value == null) {
            return "";
        }
        if (!(value instanceof String text)) {
            problem(path, "must be text, got " + kind(value));
            return "";
        }
        return text;
    }

    String requiredText(Map<String, Object> map, String key, int maxChars) {
        return requiredText(map, key, key, maxChars);
    }

    String requiredText(Map<String, Object> map, String key, String path, int maxChars) {
        Object value = map.get(key);
        if (value == null) {
            problem(path, "is required");
            return null;
        }
        if (!(value instanceof String text)) {
            problem(path, "must be text, got " + kind(value));
            return null;
        }
        if (text.isBlank()) {
            problem(path, "must not be blank");
            return null;
        }
        if (text.length() > maxChars) {
            problem(path, "must be at most " + maxChars + " characters, got " + text.length());
            return null;
        }
        return text;
    }

    String scalarText(Map<String, Object> map, String key) {
        return scalarText(map, key, key);
    }

    /** Text that YAML may have read as a number ({@code character-version: 1.2}). */
    String scalarText(Map<String, Object> map, String key, String path) {
        Object value = map.get(key);
        if (value == null) {
            return "";
        }
        if (value instanceof String || value instanceof Number) {
            return value instanceof BigDecimal decimal ? decimal.toPlainString() : String.valueOf(value);
        }
        problem(path, "must be text, got " + kind(value));
        return "";
    }

    List<String> texts(Map<String, Object> map, String key) {
        return texts(map, key, key);
    }

    List<String> texts(Map<String, Object> map, String key, String path) {
        return texts(map, key, path, false);
    }

    /** Reads a list of text; with {@code blankAllowed} blank items are kept (lore keys: skipped at recall, reported). */
    List<String> texts(Map<String, Object> map, String key, String path, boolean blankAllowed) {
        List<Object> items = list(map.get(key), path, "a list of text");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            if (!(item instanceof String text)) {
                problem(path + "[" + i + "]", "must be text, got " + kind(item));
            } else if (text.isBlank() && !blankAllowed) {
                problem(path + "[" + i + "]", "must not be blank");
            } else {
                texts.add(text);
            }
        }
        return texts;
    }

    List<Object> list(Object value, String path, String expected) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            problem(path, "must be " + expected + ", got " + kind(value));
            return List.of();
        }
        return new ArrayList<>(list);
    }

    Boolean bool(Map<String, Object> map, String key, String path, boolean fallback) {
        Object value = map.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Boolean bool)) {
            problem(path, "must be true or false, got " + quoted(value));
            return null;
        }
        return bool;
    }

    Integer integer(Map<String, Object> map, String key, String path, int fallback) {
        Object value = map.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Integer number)) {
            problem(path, "must be a whole number, got " + quoted(value));
            return null;
        }
        return number;
    }

    /** A finite number in [0, 1], or null after recording a problem. */
    Double unit(Object value, String path) {
        if (!(value instanceof Number number)) {
            problem(path, "must be a number in [0, 1], got " + quoted(value));
            return null;
        }
        double d = number.doubleValue();
        if (!Double.isFinite(d) || d < 0 || d > 1) {
            problem(path, "must be within [0, 1], got " + quoted(value));
            return null;
        }
        return d;
    }

    static String kind(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof String text) {
            return "text '" + InvalidText.cap(text) + "'";
        }
        if (value instanceof Number number) {
            return "the number " + number;
        }
        if (value instanceof Boolean bool) {
            return bool.toString();
        }
        if (value instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        return value.getClass().getSimpleName();
    }

    static String quoted(Object value) {
        if (value instanceof String text) {
            return "'" + InvalidText.cap(text) + "'";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        return kind(value);
    }

    /** Short alias so the long messages above stay readable. */
    static final class InvalidText {
        static String cap(String text) {
            return dev.nexus.host.InvalidInputException.cap(text);
        }
    }
}
