package dev.nexus.host.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.nexus.host.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads YAML (and therefore JSON) into plain JDK trees (maps, lists, strings, numbers, booleans,
 * null) and writes such trees back as YAML: the host's one YAML reader, for personalities, knowledge
 * packs (files and HTTP uploads alike), the configuration file and anything else that arrives as YAML
 * (the YAML profile of {@link Mappers}). Limits: no aliases ({@code *name}; anchors alone are harmless) and
 * SnakeYAML's own cap of {@value #MAX_ALIASES} per collection behind that, no recursive keys, nesting up to {@link Json#MAX_DEPTH},
 * duplicate keys refused, and a size cap given per call. Thread-safe and stateless.
 */
public final class YamlTree {

    /** The most aliases a document may use per collection (a "billion laughs" document needs many). */
    public static final int MAX_ALIASES = 20;

    private static final Map<Integer, ObjectMapper> READERS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final ObjectMapper YAML = Mappers.yaml(Integer.MAX_VALUE);

    private YamlTree() {}

    /** Thrown when the text is not well-formed YAML or breaks a limit; carries a line and column when known. */
    public static final class SyntaxError extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxError(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Parses {@code text}; an empty document reads as null.
     *
     * @param maxChars the most characters (code points) the document may hold
     * @throws SyntaxError with a capped, located message when the text is not YAML or breaks a limit
     */
    public static @Nullable Object read(String text, int maxChars) throws SyntaxError {
        try {
            ObjectMapper reader = READERS.computeIfAbsent(maxChars, Mappers::yaml);
            refuseAliases(reader, text);
            JsonNode node = reader.readTree(text);
            return node == null || node.isMissingNode() ? null : toJdk(node);
        } catch (JacksonException e) {
            throw new SyntaxError(describe(e));
        } catch (java.io.IOException e) {
            throw new SyntaxError(InvalidInputException.cap(String.valueOf(e.getMessage()))); // not from a String
        } catch (RuntimeException e) {
            // SnakeYAML reports some limits (aliases, code points) as its own unchecked exceptions.
            throw new SyntaxError(InvalidInputException.cap(String.valueOf(e.getMessage())));
        }
    }

    /**
     * Refuses a document that uses an alias ({@code *name}). Jackson's YAML reader does not expand
     * aliases, it reads each as its anchor's name, which would silently turn shared content into the
     * anchor's name; so an alias is an error naming its line, and a "billion laughs" document cannot grow.
     */
    private static void refuseAliases(ObjectMapper reader, String text) throws SyntaxError, java.io.IOException {
        try (JsonParser parser = reader.createParser(text)) {
            while (parser.nextToken() != null) {
                if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
                    var at = parser.currentTokenLocation();
                    throw new SyntaxError("line " + at.getLineNr() + ", column " + at.getColumnNr()
                            + ": YAML aliases (*" + InvalidInputException.cap(String.valueOf(parser.getText()))
                            + ") are not accepted; write the value out in full");
                }
            }
        }
    }

    /** Writes a JDK tree as a YAML document (multi-line text as literal blocks, minimal quoting). */
    public static String write(Object tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write YAML: " + e.getOriginalMessage(), e);
        }
    }

    private static String describe(JacksonException e) {
        String message = InvalidInputException.cap(
                String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("malformed"));
        var location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            return "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": " + message;
        }
        return message;
    }

    private static @Nullable Object toJdk(JsonNode node) {
        if (node.isObject()) {
            LinkedHashMap<String, Object> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                map.put(field.getKey(), toJdk(field.getValue()));
            }
            return Collections.unmodifiableMap(map);
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(element -> list.add(toJdk(element)));
            return Collections.unmodifiableList(list);
        }
        if (node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToInt()
                    ? (Object) node.intValue()
                    : node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.isBigDecimal() ? node.decimalValue() : node.doubleValue();
        }
        if (node.isBinary()) {
            return node.asText();
        }
        return node.asText();
    }
}
