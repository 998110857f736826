package dev.nexus.host.apidocs;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small builders for the JSON Schemas of the API reference. Stateless. */
final class Schemas {

    private Schemas() {}

    static Map<String, Object> str(String description) {
        return Map.of("type", "string", "description", description);
    }

    static Map<String, Object> str() {
        return Map.of("type", "string");
    }

    static Map<String, Object> integer() {
        return Map.of("type", "integer");
    }

    static Map<String, Object> number() {
        return Map.of("type", "number");
    }

    static Map<String, Object> bool() {
        return Map.of("type", "boolean");
    }

    static Map<String, Object> any(String description) {
        return Map.of("description", description);
    }

    static Map<String, Object> array(Map<String, Object> items) {
        return Map.of("type", "array", "items", items);
    }

    static Map<String, Object> ref(String component) {
        return Map.of("$ref", "#/components/schemas/" + component);
    }

    static Map<String, Object> map(Map<String, Object> values) {
        return Map.of("type", "object", "additionalProperties", values);
    }

    /** An open object: its fields are documented in {@code doc} (a page under docs/). */
    static Map<String, Object> open(String description) {
        return Map.of("type", "object", "additionalProperties", true, "description", description);
    }

    /** A property of {@link #object}. */
    record Property(String name, Map<String, Object> schema, boolean required) {}

    static Property required(String name, Map<String, Object> schema) {
        return new Property(name, schema, true);
    }

    static Property optional(String name, Map<String, Object> schema) {
        return new Property(name, schema, false);
    }

    /** A closed object (unknown fields are refused, as the API does). */
    static Map<String, Object> object(Property... properties) {
        return object(false, properties);
    }

    /** An object whose listed fields are the documented ones; servers may add more. */
    static Map<String, Object> openObject(Property... properties) {
        return object(true, properties);
    }

    private static Map<String, Object> object(boolean open, Property... properties) {
        Map<String, Object> props = new LinkedHashMap<>();
        Arrays.stream(properties).forEach(p -> props.put(p.name(), p.schema()));
        List<String> required = Arrays.stream(properties)
                .filter(Property::required)
                .map(Property::name)
                .toList();
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", props);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        schema.put("additionalProperties", open);
        return schema;
    }
}
