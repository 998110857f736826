package dev.nexus.host.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import dev.nexus.host.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A compiled JSON Schema (draft 2020-12 unless the document names another dialect in
 * {@code $schema}), validating values made of JDK maps, lists and scalars. The one place the host
 * uses the networknt validator: plugin configuration sections are checked with it at plugin start.
 * Immutable and thread-safe.
 */
public final class JsonSchema {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final int MAX_PROBLEMS = 20;

    private final Schema schema;
    private final Map<String, Object> document;

    private JsonSchema(Schema schema, Map<String, Object> document) {
        this.schema = schema;
        this.document = document;
    }

    /**
     * Compiles a schema document.
     *
     * @throws InvalidInputException when the text is not a JSON object or not a usable schema; the
     *     message says what is wrong
     */
    public static JsonSchema compile(String json) {
        Map<String, Object> document = Json.readMap(json);
        try {
            JsonNode node = Json.mapper().valueToTree(document);
            Schema schema = REGISTRY.getSchema(node);
            schema.initializeValidators();
            return new JsonSchema(schema, java.util.Collections.unmodifiableMap(document));
        } catch (SchemaException | IllegalArgumentException e) {
            throw new InvalidInputException("not a usable JSON Schema: " + e.getMessage(), e);
        }
    }

    /** Returns the schema document as parsed JDK maps, lists and scalars. */
    public Map<String, Object> document() {
        return document;
    }

    /**
     * Checks {@code value} against the schema.
     *
     * @param value JDK maps, lists, texts, numbers and booleans
     * @return every problem found (at most 20), each naming the field; empty when the value is valid
     */
    public List<Problem> check(Object value) {
        JsonNode node = Json.mapper().valueToTree(value);
        List<Problem> problems = new ArrayList<>();
        for (Error error : schema.validate(node)) {
            if (problems.size() == MAX_PROBLEMS) {
                break;
            }
            problems.add(new Problem(path(error), error.getMessage()));
        }
        return List.copyOf(problems);
    }

    private static String path(Error error) {
        StringBuilder path = new StringBuilder();
        NodePath location = error.getInstanceLocation();
        for (int i = 0; location != null && i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(element);
            }
        }
        if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
            path.append(path.isEmpty() ? "" : ".").append(error.getProperty());
        }
        return path.toString();
    }

    /**
     * One way a value breaks the schema. Immutable.
     *
     * @param path the field, dotted with {@code [i]} for list items; empty for the whole value
     * @param message what the schema expects there
     */
    public record Problem(String path, String message) {

        @Override
        public String toString() {
            return (path.isEmpty() ? "" : "'" + path + "': ") + message;
        }
    }
}
