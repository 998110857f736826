package dev.nexus.host.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.nexus.host.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The host's JSON facade over Jackson. Strict on input: unknown fields, wrong types, trailing
 * tokens and nesting deeper than {@value #MAX_DEPTH} are {@link InvalidInputException}s that name
 * the field path. Timestamps are ISO-8601 strings; {@code Optional} is a value or absent. Thread-safe.
 */
public final class Json {

    /** Maximum nesting depth accepted in any JSON document. */
    public static final int MAX_DEPTH = 64;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            // Issue 11: a key sent twice is refused (not "last one wins"), and 1.5 is not an integer.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .addModule(StrictText.module())
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    static {
        // Wrong types are errors, not conversions: 42 is not a string and "42" is not a number.
        MAPPER.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxStringLength(32 * 1024 * 1024)
                .maxNumberLength(100)
                .build());
    }

    private Json() {}

    /** Parses JSON text into Jackson's tree, for the other classes of this package. */
    static JsonNode tree(String json) throws IOException {
        return MAPPER.readTree(json);
    }

    /** Returns Jackson's tree for a JDK value (maps, lists, scalars), for the other classes of this package. */
    static JsonNode treeOf(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** Serialises {@code value} to JSON text. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Serialises {@code value} to UTF-8 JSON bytes. */
    public static byte[] writeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Parses {@code json} into {@code type}; problems are {@link InvalidInputException}s naming the field. */
    public static <T> T read(String json, Class<T> type) {
        try {
            return requireValue(MAPPER.readValue(json, type));
        } catch (IOException e) {
            throw invalid(e);
        }
    }

    /** Parses UTF-8 {@code json} into {@code type}; problems are {@link InvalidInputException}s naming the field. */
    public static <T> T read(byte[] json, Class<T> type) {
        try {
            return requireValue(MAPPER.readValue(json, type));
        } catch (IOException e) {
            throw invalid(e);
        }
    }

    /**
     * Returns why {@code text} cannot be stored (a NUL character or an unpaired surrogate), or empty
     * when it can; for text that did not come through this class, such as query parameters.
     */
    public static Optional<String> textProblem(String text) {
        return StrictText.problem(text);
    }

    /** Parses a JSON object into nested JDK maps, lists and scalars, preserving key order. */
    public static Map<String, Object> readMap(String json) {
        try {
            return StrictText.check(requireValue(MAPPER.readValue(json, new TypeReference<java.util.LinkedHashMap<String, Object>>() {})));
        } catch (IOException e) {
            throw invalid(e);
        }
    }

    /**
     * Parses UTF-8 bytes holding one JSON object into nested JDK maps, lists and scalars (key order
     * kept), with every limit of this class; for bodies handed to plugins as values.
     *
     * @throws InvalidInputException naming the problem: empty, not UTF-8, malformed, too deep, or not an object
     */
    public static Map<String, Object> readObject(byte[] json) {
        if (json.length == 0) {
            throw new InvalidInputException("the body is empty; send a JSON object");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(json)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException("the body is not valid UTF-8; send UTF-8 JSON", e);
        }
        if (!text.stripLeading().startsWith("{")) {
            throw new InvalidInputException("the body must be a JSON object ({...})");
        }
        return readMap(text);
    }

    /** Converts a value (e.g. a map) into {@code type} as if it had been read from JSON. */
    public static <T> T convert(Object value, Class<T> type) {
        try {
            return MAPPER.convertValue(value, type);
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof IOException io) {
                throw invalid(io);
            }
            throw new InvalidInputException(StrictText.withoutTypeNames(String.valueOf(e.getMessage())), e);
        }
    }

    private static <T> T requireValue(T value) {
        if (value == null) {
            throw new InvalidInputException("expected a JSON value, got null");
        }
        return value;
    }

    /** Turns a Jackson failure into a message that names the field path and what was wrong. */
    public static InvalidInputException invalid(IOException e) {
        if (e instanceof JsonProcessingException duplicate && duplicate.getOriginalMessage() != null
                && duplicate.getOriginalMessage().startsWith("Duplicate field '")) {
            String field = duplicate.getOriginalMessage().substring("Duplicate field '".length()).replaceAll("'.*", "");
            return new InvalidInputException("duplicate field '" + InvalidInputException.cap(field)
                    + "': send each field once", e);
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            List<String> known = unknown.getKnownPropertyIds() == null ? List.of()
                    : unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            return new InvalidInputException("unknown field '" + path(unknown) + "'"
                    + (known.isEmpty() ? "" : "; known fields are " + known), e);
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return new InvalidInputException("invalid value at '" + path(mapping) + "': " + firstLine(mapping.getOriginalMessage()), e);
        }
        if (e instanceof JsonProcessingException processing) {
            return new InvalidInputException("malformed JSON: " + firstLine(processing.getOriginalMessage()), e);
        }
        return new InvalidInputException("unreadable JSON: " + firstLine(e.getMessage()), e);
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        String first = message.lines().findFirst().orElse(message)
                .replaceAll(" \\(for .*?\\)", "")
                .replaceAll(" \\(start marker at .*", "")
                // Limits name the Jackson setter that raised them; the reader wants the numbers only.
                .replaceAll(", from `[^`]*`\\)", ")");
        String line = StrictText.withoutTypeNames(first);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
