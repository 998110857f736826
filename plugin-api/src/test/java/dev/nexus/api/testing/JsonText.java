package dev.nexus.api.testing;

import dev.nexus.api.JsonReader;
import dev.nexus.api.JsonWriter;
import java.util.Map;

/**
 * JSON for tests, so plugin tests need no JSON library: reading is {@link JsonReader}'s and writing
 * {@link JsonWriter}'s, the plugin API's one reader and one writer (this class only keeps the names
 * earlier tests use). Stateless.
 */
public final class JsonText {

    private JsonText() {}

    /** Parses one JSON value ({@link JsonReader#read(String)}). */
    public static Object parse(String json) {
        return JsonReader.read(json);
    }

    /** Parses a JSON object ({@link JsonReader#readObject(String)}). */
    public static Map<String, Object> parseObject(String json) {
        return JsonReader.readObject(json);
    }

    /** Writes maps, lists, strings, numbers, booleans and null as compact JSON ({@link JsonWriter}, the plugins' one writer). */
    public static String write(Object value) {
        return JsonWriter.write(value);
    }

    /** Returns {@code text} as a JSON string literal. */
    public static String quote(String text) {
        return JsonWriter.quote(text);
    }
}
