package dev.nexus.host.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.nexus.host.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Strict JSON for untrusted interchange files: bounded nesting, string, number and document sizes,
 * duplicate keys refused, nothing after the root value. Values come back as unmodifiable JDK trees
 * (ordered maps, lists, strings, Integer/Long/BigInteger/Double, booleans, null), the same shapes
 * Jackson's untyped reading produces, so they compare equal to values read elsewhere in the host.
 *
 * <p>For untrusted documents read as trees rather than bound to classes (character cards,
 * lorebooks): the limits are the caller's ({@code interchange.InterchangeLimits}), the strictness
 * is this package's, as for {@link Json}. Thread-safe.
 */
public final class JsonTree {

    private final JsonFactory factory;

    /**
     * Creates a reader.
     *
     * @param maxDepth the deepest nesting accepted
     * @param maxBytes the largest document (and string) accepted
     */
    public JsonTree(int maxDepth, int maxBytes) {
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxStringLength(maxBytes)
                        .maxDocumentLength(maxBytes)
                        .maxNumberLength(64)
                        .maxNameLength(1024)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    /**
     * Parses one JSON document.
     *
     * @param what what the document is, for messages ("character card JSON")
     * @throws InvalidInputException naming the line and column of the problem
     */
    public @Nullable Object read(byte[] json, String what) {
        try (JsonParser parser = factory.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new InvalidInputException(what + " is empty; send a JSON object");
            }
            Object value = value(parser, first);
            if (parser.nextToken() != null) {
                throw new InvalidInputException(what + " has more content after its closing bracket at line "
                        + parser.currentLocation().getLineNr() + "; send exactly one JSON value");
            }
            return value;
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            throw new InvalidInputException(
                    what + " is not valid JSON" + at + ": " + dev.nexus.host.json.Json.syntax(e.getOriginalMessage())
                            + "; fix the file or export it again from its editor",
                    e);
        } catch (IOException e) {
            // The document is in memory: any other I/O failure is about its bytes (e.g. a broken encoding).
            throw new InvalidInputException(
                    what + " cannot be read as JSON text (" + InvalidInputException.cap(e.getMessage())
                            + "); save it as UTF-8 JSON",
                    e);
        }
    }

    private static @Nullable Object value(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> {
                LinkedHashMap<String, Object> map = new LinkedHashMap<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String name = parser.currentName();
                    map.put(name, value(parser, parser.nextToken()));
                }
                yield Collections.unmodifiableMap(map);
            }
            case START_ARRAY -> {
                ArrayList<Object> list = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    list.add(value(parser, t));
                }
                yield Collections.unmodifiableList(list);
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getNumberValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new InvalidInputException("unexpected JSON token " + token);
        };
    }

    /** Writes a JDK tree as UTF-8 JSON; {@code pretty} indents with two spaces. */
    public byte[] write(Object tree, boolean pretty) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = factory.createGenerator(out)) {
            if (pretty) {
                DefaultPrettyPrinter printer =
                        new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
                generator.setPrettyPrinter(printer);
            }
            write(generator, tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator out, Object value) throws IOException {
        switch (value) {
            case null -> out.writeNull();
            case Map<?, ?> map -> {
                out.writeStartObject();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.writeFieldName(String.valueOf(entry.getKey()));
                    write(out, entry.getValue());
                }
                out.writeEndObject();
            }
            case List<?> list -> {
                out.writeStartArray();
                for (Object item : list) {
                    write(out, item);
                }
                out.writeEndArray();
            }
            case String s -> out.writeString(s);
            case Boolean b -> out.writeBoolean(b);
            case Integer i -> out.writeNumber(i);
            case Long l -> out.writeNumber(l);
            case BigInteger b -> out.writeNumber(b);
            case BigDecimal b -> out.writeNumber(b);
            case Double d -> out.writeNumber(d);
            case Float f -> out.writeNumber(f);
            case Number n -> out.writeNumber(n.toString());
            default ->
                throw new IllegalArgumentException(
                        "cannot write " + value.getClass().getName() + " as JSON");
        }
    }
}
