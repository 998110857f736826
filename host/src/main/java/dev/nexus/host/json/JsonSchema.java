package dev.nexus.host.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import dev.nexus.host.InvalidInputException;
import java.io.IOException;
import java.util.List;

/**
 * A compiled JSON Schema (draft 2020-12, the dialect {@code ToolSpec} promises) that checks JDK
 * values (maps, lists, strings, numbers, booleans, null) and reports every problem with the path of
 * the value it is about. The host's one schema validator: tool arguments and plugin config sections
 * use it. Backed by networknt json-schema-validator; no type of that library leaves this class.
 *
 * <p>A schema never reaches the network: {@code $ref} resolves inside the schema document (and to
 * the bundled 2020-12 meta-schemas); a remote reference is a schema problem. Immutable and thread-safe.
 */
public final class JsonSchema {

    private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaLoader(loader -> loader.fetchRemoteResources(false)));
    private static final Schema META = REGISTRY.getSchema(SchemaLocation.of(META_SCHEMA));

    private final Schema schema;

    private JsonSchema(Schema schema) {
        this.schema = schema;
    }

    /**
     * Compiles a schema written as JSON text after checking it against the 2020-12 meta-schema.
     *
     * @param json the schema document (a JSON object or a boolean)
     * @param what what the schema belongs to, for messages ("tool 'weather' parameters")
     * @throws InvalidInputException naming {@code what} and every problem when the text is not JSON or not a valid schema
     */
    public static JsonSchema compile(String json, String what) {
        JsonNode node;
        try {
            node = Json.tree(json);
        } catch (IOException e) {
            throw new InvalidInputException(
                    what + " is not valid JSON: " + Json.invalid(e).getMessage(), e);
        }
        List<String> problems = describe(META.validate(node));
        if (!problems.isEmpty()) {
            throw new InvalidInputException(what + " is not a valid JSON Schema (draft 2020-12)", problems);
        }
        try {
            return new JsonSchema(REGISTRY.getSchema(node));
        } catch (SchemaException | IllegalArgumentException e) {
            throw new InvalidInputException(
                    what + " cannot be used as a JSON Schema: " + InvalidInputException.cap(e.getMessage()), e);
        }
    }

    /**
     * Returns every problem of {@code value} against this schema, each as {@code "<path>: <what is wrong>"}
     * with {@code $} for the root ({@code "$.city: required property 'city' not found"}); empty when valid.
     */
    public List<String> problems(Object value) {
        try {
            return describe(schema.validate(Json.treeOf(value)));
        } catch (SchemaException e) {
            // A $ref that points outside the schema surfaces here, on first use.
            return List.of("$: the schema cannot be evaluated: " + InvalidInputException.cap(e.getMessage()));
        }
    }

    private static List<String> describe(List<Error> errors) {
        return errors.stream().map(JsonSchema::describe).distinct().toList();
    }

    private static String describe(Error error) {
        String message = error.getMessage();
        NodePath location = error.getInstanceLocation();
        // networknt prefixes its message with the location as a JSON Pointer ("/times: ..."); we name
        // it the way the rest of the host does ("$.times"), so drop that prefix.
        if (location != null && message.startsWith(location + ": ")) {
            message = message.substring(location.toString().length() + 2);
        }
        return path(location) + ": " + message;
    }

    private static String path(NodePath location) {
        StringBuilder path = new StringBuilder("$");
        for (int i = 0; location != null && i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            path.append(element instanceof Integer index ? "[" + index + "]" : "." + element);
        }
        return path.toString();
    }
}
