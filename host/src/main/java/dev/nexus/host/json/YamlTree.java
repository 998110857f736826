package dev.nexus.host.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import dev.nexus.host.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads YAML (and therefore JSON) into plain JDK trees (maps, lists, strings, numbers, booleans,
 * null) and writes such trees back as YAML: the host's one YAML reader, for personalities, knowledge
 * packs (files and HTTP uploads alike) and anything else that arrives as YAML. Limits: at most
 * {@value #MAX_ALIASES} aliases per collection, no recursive keys, nesting up to {@link Json#MAX_DEPTH},
 * duplicate keys refused, and a size cap given per call. Thread-safe and stateless.
 */
public final class YamlTree {

    /** The most aliases a document may use per collection (a "billion laughs" document needs many). */
    public static final int MAX_ALIASES = 20;

    private static final Map<Integer, ObjectMapper> READERS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final ObjectMapper YAML = mapper(Integer.MAX_VALUE);

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
            JsonNode node = READERS.computeIfAbsent(maxChars, YamlTree::mapper).readTree(text);
            return node == null || node.isMissingNode() ? null : toJdk(node);
        } catch (JacksonException e) {
            throw new SyntaxError(describe(e));
        } catch (RuntimeException e) {
            // SnakeYAML reports some limits (aliases, code points) as its own unchecked exceptions.
            throw new SyntaxError(InvalidInputException.cap(String.valueOf(e.getMessage())));
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

    private static ObjectMapper mapper(int maxChars) {
        LoaderOptions loader = new LoaderOptions();
        loader.setMaxAliasesForCollections(MAX_ALIASES);
        loader.setAllowRecursiveKeys(false);
        loader.setNestingDepthLimit(Json.MAX_DEPTH);
        loader.setCodePointLimit(maxChars);
        YAMLFactory factory = YAMLFactory.builder()
                .loaderOptions(loader)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .stringQuotingChecker(new NumberLikeQuoting())
                .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .disable(YAMLGenerator.Feature.SPLIT_LINES)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return YAMLMapper.builder(factory)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
    }

    /**
     * Also quotes text that any YAML reader could take for a number: hex, octal, binary, underscored
     * and signed forms ({@code 0x1F}, {@code 1_000}, {@code +5}, {@code .5}), which the default checker
     * leaves bare.
     */
    private static final class NumberLikeQuoting extends StringQuotingChecker.Default {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean needToQuoteValue(String value) {
            if (super.needToQuoteValue(value)) {
                return true;
            }
            if (value.isEmpty()) {
                return false;
            }
            char first = value.charAt(0);
            return Character.isDigit(first) || (value.length() > 1 && "+-.".indexOf(first) >= 0);
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
