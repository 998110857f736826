package dev.nexus.host.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.nexus.host.InvalidInputException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text the host accepts in JSON: no NUL characters and no unpaired UTF-16 surrogates, in values and
 * in keys. H2 and PostgreSQL disagree about both (PostgreSQL refuses NUL, and a lone surrogate
 * becomes {@code ?} in UTF-8), so they are refused at the door, the same way on both databases, with
 * the field named. Also turns Jackson's Java type names into words. Stateless.
 */
final class StrictText {

    private static final Pattern TYPE =
            Pattern.compile("`?\\[?(?:[a-z][a-z0-9_]*\\.)+([A-Z][A-Za-z0-9_$]*)(?:<[^>`]*>)?(?:\\[])?`?");

    private StrictText() {}

    static SimpleModule module() {
        SimpleModule module = new SimpleModule("nexus-strict-text");
        module.addDeserializer(String.class, new Values());
        module.addKeyDeserializer(String.class, new Keys());
        return module;
    }

    /** Returns the problem with {@code text}, or empty when it is acceptable. */
    static Optional<String> problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return Optional.of("text must not contain NUL (\\u0000) characters; remove them");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of(
                        "text contains an unpaired UTF-16 surrogate (such as \\ud800 alone); send valid Unicode");
            }
        }
        return Optional.empty();
    }

    /** Checks every key and string of a parsed tree; problems name the path. */
    static <T> T check(T tree) {
        walk(tree, "");
        return tree;
    }

    private static void walk(Object node, String path) {
        if (node instanceof String text) {
            problem(text).ifPresent(p -> {
                throw new InvalidInputException(path.isEmpty() ? p : "invalid value at '" + path + "': " + p);
            });
        } else if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                String at = path.isEmpty() ? key : path + "." + key;
                problem(key).ifPresent(p -> {
                    throw new InvalidInputException(
                            "invalid field name at '" + InvalidInputException.cap(at) + "': " + p);
                });
                walk(entry.getValue(), at);
            }
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "[" + i + "]");
            }
        }
    }

    /** Replaces Java type names in a parser message with words ("a whole number", "text", ...). */
    static String withoutTypeNames(String message) {
        Matcher m = TYPE.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(
                    out,
                    Matcher.quoteReplacement(words(
                            m.group(1), m.group().contains("[]") || m.group().startsWith("`["))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String words(String simpleName, boolean array) {
        if (array) {
            return "a list";
        }
        return switch (simpleName) {
            case "Integer", "Long", "Short", "Byte", "BigInteger" -> "a whole number";
            case "Double", "Float", "BigDecimal", "Number" -> "a number";
            case "String", "Character", "CharSequence" -> "text";
            case "Boolean" -> "true or false";
            case "List", "ArrayList", "Set", "HashSet", "LinkedHashSet", "Collection" -> "a list";
            case "Map", "HashMap", "LinkedHashMap", "TreeMap", "Object" -> "an object";
            case "Instant", "OffsetDateTime", "LocalDate" -> "a date-time";
            case "Optional" -> "a value";
            default -> "an object";
        };
    }

    private static final class Values extends StdScalarDeserializer<String> {
        private static final long serialVersionUID = 1L;

        Values() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String value = StringDeserializer.instance.deserialize(parser, context);
            if (value != null) {
                Optional<String> problem = problem(value);
                if (problem.isPresent()) {
                    throw JsonMappingException.from(parser, problem.get());
                }
            }
            return value;
        }
    }

    private static final class Keys extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext context) throws IOException {
            Optional<String> problem = problem(key);
            if (problem.isPresent()) {
                throw JsonMappingException.from(context, "field name: " + problem.get());
            }
            return key;
        }
    }
}
