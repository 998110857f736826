package dev.nexus.host.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
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
import org.jspecify.annotations.Nullable;

/**
 * The host's JSON facade over Jackson. Strict on input: unknown fields, wrong types, trailing
 * tokens and nesting deeper than {@value #MAX_DEPTH} are {@link InvalidInputException}s that name
 * the field path (the strict profile of {@link Mappers}, the one Jackson configuration). Timestamps are ISO-8601 strings; {@code Optional} is a value or absent. Thread-safe.
 */
public final class Json {

    /** Maximum nesting depth accepted in any JSON document. */
    public static final int MAX_DEPTH = 64;

    /** The strict profile of the one Jackson configuration ({@link Mappers}). */
    private static final ObjectMapper MAPPER = Mappers.STRICT;

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
            throw new IllegalStateException(
                    "cannot serialise " + value.getClass().getName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Serialises {@code value} to UTF-8 JSON bytes. */
    public static byte[] writeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialise " + value.getClass().getName() + ": " + e.getOriginalMessage(), e);
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

    /**
     * Parses UTF-8 {@code json} into {@code type}; problems are {@link InvalidInputException}s naming the
     * field. Bytes that are not UTF-8 (UTF-16, Latin-1, encoded surrogates) are refused before parsing,
     * rather than guessed at.
     */
    public static <T> T read(byte[] json, Class<T> type) {
        requireUtf8(json, "the body");
        try {
            return requireValue(MAPPER.readValue(json, type));
        } catch (IOException e) {
            throw invalid(e);
        }
    }

    /**
     * Refuses bytes that are not well-formed UTF-8 (RFC 8259 requires it of JSON exchanged between
     * systems), naming the byte offset.
     *
     * @param what what the bytes are, for the message ("the body", "the path")
     */
    public static void requireUtf8(byte[] bytes, String what) {
        java.nio.charset.CharsetDecoder decoder = java.nio.charset.StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.charset.CoderResult result = decoder.decode(in, java.nio.CharBuffer.allocate(bytes.length), true);
        if (result.isError()) {
            throw new InvalidInputException(
                    what + " is not valid UTF-8 (at byte " + in.position() + "); send text encoded as UTF-8");
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
            return StrictText.check(requireValue(
                    MAPPER.readValue(json, new TypeReference<java.util.LinkedHashMap<String, Object>>() {})));
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
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(json))
                    .toString();
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

    /**
     * Turns a Jackson failure into a message that names the field path, what was expected and what
     * came, in words: never a Java type, a parser token or a parser setting.
     */
    public static InvalidInputException invalid(IOException e) {
        if (e instanceof JsonProcessingException duplicate
                && duplicate.getOriginalMessage() != null
                && duplicate.getOriginalMessage().startsWith("Duplicate field '")) {
            String field = duplicate
                    .getOriginalMessage()
                    .substring("Duplicate field '".length())
                    .replaceAll("'.*", "");
            return new InvalidInputException(
                    "duplicate field '" + InvalidInputException.cap(field) + "': send each field once", e);
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            List<String> known = unknown.getKnownPropertyIds() == null
                    ? List.of()
                    : unknown.getKnownPropertyIds().stream()
                            .map(String::valueOf)
                            .sorted()
                            .toList();
            return new InvalidInputException(
                    "unknown field '" + path(unknown) + "'" + (known.isEmpty() ? "" : "; known fields are " + known),
                    e);
        }
        if (e instanceof StreamConstraintsException limit) {
            return new InvalidInputException(limit(String.valueOf(limit.getOriginalMessage())), e);
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            String at = mismatch.getPath().isEmpty() ? "the body" : "'" + path(mismatch) + "'";
            String expected = words(mismatch.getTargetType());
            String got = mismatch.getProcessor() instanceof JsonParser parser ? got(parser) : "something else";
            return new InvalidInputException(
                    (mismatch.getPath().isEmpty()
                                    ? "the body must be " + expected
                                    : "invalid value at " + at + ": expected " + expected)
                            + ", got " + got,
                    e);
        }
        if (e instanceof ValueInstantiationException instantiation) {
            Throwable cause = instantiation.getCause();
            String why = cause instanceof IllegalArgumentException || cause instanceof InvalidInputException
                    ? firstLine(cause.getMessage())
                    : "not an acceptable value";
            return new InvalidInputException(
                    instantiation.getPath().isEmpty() ? why : "invalid value at '" + path(instantiation) + "': " + why,
                    e);
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return new InvalidInputException(
                    "invalid value at '" + path(mapping) + "': " + firstLine(mapping.getOriginalMessage()), e);
        }
        if (e instanceof JsonProcessingException processing) {
            JsonLocation where = processing.getLocation();
            String at = where == null || where.getLineNr() < 1
                    ? ""
                    : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
            return new InvalidInputException("malformed JSON" + at + ": " + syntax(processing.getOriginalMessage()), e);
        }
        return new InvalidInputException("unreadable JSON: " + firstLine(e.getMessage()), e);
    }

    /**
     * Returns a parser's complaint about JSON syntax in plain words, without parser internals (token
     * names, settings, source excerpts); for other packages that parse JSON themselves.
     */
    public static String syntax(String parserMessage) {
        if (parserMessage == null) {
            return "the JSON is malformed";
        }
        if (parserMessage.startsWith("Unexpected end-of-input")) {
            return "the JSON ends before it is complete (truncated?); send the whole document";
        }
        if (parserMessage.startsWith("Trailing token")) {
            return "more content follows the JSON value; send exactly one JSON value";
        }
        if (parserMessage.contains("Non-standard token")) {
            return parserMessage.replaceAll("^(Non-standard token '[^']*').*", "$1") + " (JSON has no NaN or Infinity)";
        }
        String line = parserMessage.lines().findFirst().orElse(parserMessage);
        for (String cut : new String[] {" (start marker", " at [Source", ": enable ", "[Source", " (for "}) {
            int at = line.indexOf(cut);
            if (at > 0) {
                line = line.substring(0, at);
            }
        }
        line = line.replaceAll("`[^`]*`", "")
                .replace("START_OBJECT", "'{'")
                .replace("START_ARRAY", "'['")
                .replace("END_OBJECT", "'}'")
                .replace("END_ARRAY", "']'")
                .replaceAll("VALUE_[A-Z_]+", "a value")
                .replace("FIELD_NAME", "a field name")
                .strip();
        line = StrictText.withoutTypeNames(line);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private static String limit(String message) {
        if (message.contains("nesting depth")) {
            return "the JSON is nested deeper than " + MAX_DEPTH + " levels; flatten the document";
        }
        if (message.contains("Number value length")) {
            return "a number in the JSON is longer than 100 digits; send a shorter number";
        }
        if (message.contains("String value length")) {
            return "a string in the JSON is longer than the parser accepts; send shorter text";
        }
        return "the JSON exceeds the parser's limits (size, depth or length of a value)";
    }

    /** A Java type as the JSON a client should send for it. */
    private static String words(Class<?> type) {
        if (type == String.class || type == Character.class || type == char.class) {
            return "text";
        }
        if (type == Integer.class
                || type == int.class
                || type == Long.class
                || type == long.class
                || type == Short.class
                || type == short.class
                || type == java.math.BigInteger.class
                || type == Byte.class
                || type == byte.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type.isEnum()) {
            return "one of "
                    + java.util.Arrays.stream(type.getEnumConstants())
                            .map(c -> "'" + c.toString().toLowerCase(java.util.Locale.ROOT) + "'")
                            .toList();
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 date-time";
        }
        return "an object";
    }

    /** What the parser is looking at, in words (numbers quoted; text is not echoed). */
    private static String got(JsonParser parser) {
        JsonToken token = parser.currentToken();
        if (token == null) {
            return "nothing (the JSON ends early)";
        }
        try {
            return switch (token) {
                case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
                case START_ARRAY, END_ARRAY -> "a list";
                case VALUE_STRING -> "text";
                case VALUE_NUMBER_INT -> "the whole number " + InvalidInputException.cap(parser.getText());
                case VALUE_NUMBER_FLOAT -> "the fraction " + InvalidInputException.cap(parser.getText());
                case VALUE_TRUE, VALUE_FALSE -> token == JsonToken.VALUE_TRUE ? "true" : "false";
                case VALUE_NULL -> "null";
                default -> "something else";
            };
        } catch (IOException unreadable) {
            return "something else";
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    private static String firstLine(@Nullable String message) {
        return message == null ? "no detail" : syntax(message);
    }
}
