package dev.nexus.host.tools;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks tool arguments against the tool's JSON Schema. Supports the subset tools use: {@code type}
 * (object, string, integer, number, boolean, array, null, or a list of them), {@code properties},
 * {@code required}, {@code additionalProperties: false}, {@code enum}, {@code minimum}/{@code maximum},
 * {@code minLength}/{@code maxLength}, {@code pattern}, {@code items}, {@code minItems}/{@code maxItems}.
 * Other keywords are ignored (documented as such). Immutable and thread-safe.
 */
final class ArgumentSchema {

    private final Map<String, Object> schema;

    private ArgumentSchema(Map<String, Object> schema) {
        this.schema = schema;
    }

    /** Parses a schema; a tool whose schema is not a JSON object is refused by {@code ToolSpec} already. */
    static ArgumentSchema parse(String json) {
        return new ArgumentSchema(Json.readMap(json));
    }

    /** Returns every problem of {@code arguments}, each naming its path; empty when they are valid. */
    List<String> problems(Map<String, Object> arguments) {
        List<String> problems = new ArrayList<>();
        check(schema, arguments, "$", problems);
        return problems;
    }

    /** Parses the model's argument text into a map; invalid JSON or a non-object is an {@link InvalidInputException}. */
    static Map<String, Object> arguments(String text) {
        String json = text == null || text.isBlank() ? "{}" : text;
        return Json.readMap(json);
    }

    @SuppressWarnings("unchecked")
    private static void check(Map<String, Object> schema, Object value, String path, List<String> problems) {
        Object type = schema.get("type");
        if (type != null && !matchesType(type, value)) {
            problems.add(path + ": expected " + type + ", got " + typeOf(value));
            return;
        }
        if (schema.get("enum") instanceof List<?> allowed && !allowed.contains(value)) {
            problems.add(path + ": must be one of " + allowed);
        }
        if (value instanceof Map<?, ?> object) {
            Map<String, Object> properties = schema.get("properties") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
            if (schema.get("required") instanceof List<?> required) {
                for (Object name : required) {
                    if (!object.containsKey(name)) {
                        problems.add(path + "." + name + ": is required");
                    }
                }
            }
            for (Map.Entry<?, ?> entry : object.entrySet()) {
                String name = String.valueOf(entry.getKey());
                if (properties.get(name) instanceof Map<?, ?> child) {
                    check((Map<String, Object>) child, entry.getValue(), path + "." + name, problems);
                } else if (Boolean.FALSE.equals(schema.get("additionalProperties"))) {
                    problems.add(path + "." + name + ": is not an allowed argument; allowed are " + properties.keySet());
                }
            }
        }
        if (value instanceof String text) {
            if (schema.get("minLength") instanceof Number min && text.length() < min.intValue()) {
                problems.add(path + ": must be at least " + min + " characters");
            }
            if (schema.get("maxLength") instanceof Number max && text.length() > max.intValue()) {
                problems.add(path + ": must be at most " + max + " characters");
            }
            if (schema.get("pattern") instanceof String pattern && !java.util.regex.Pattern.compile(pattern).matcher(text).find()) {
                problems.add(path + ": must match " + pattern);
            }
        }
        if (value instanceof Number number) {
            if (schema.get("minimum") instanceof Number min && number.doubleValue() < min.doubleValue()) {
                problems.add(path + ": must be >= " + min);
            }
            if (schema.get("maximum") instanceof Number max && number.doubleValue() > max.doubleValue()) {
                problems.add(path + ": must be <= " + max);
            }
        }
        if (value instanceof List<?> list) {
            if (schema.get("minItems") instanceof Number min && list.size() < min.intValue()) {
                problems.add(path + ": needs at least " + min + " items");
            }
            if (schema.get("maxItems") instanceof Number max && list.size() > max.intValue()) {
                problems.add(path + ": allows at most " + max + " items");
            }
            if (schema.get("items") instanceof Map<?, ?> items) {
                for (int i = 0; i < list.size(); i++) {
                    check((Map<String, Object>) items, list.get(i), path + "[" + i + "]", problems);
                }
            }
        }
    }

    private static boolean matchesType(Object type, Object value) {
        if (type instanceof List<?> types) {
            return types.stream().anyMatch(t -> matchesType(t, value));
        }
        return switch (String.valueOf(type)) {
            case "object" -> value instanceof Map;
            case "array" -> value instanceof List;
            case "string" -> value instanceof String;
            case "boolean" -> value instanceof Boolean;
            case "null" -> value == null;
            case "number" -> value instanceof Number;
            case "integer" -> value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                    && !Double.isInfinite(n.doubleValue());
            default -> true;
        };
    }

    private static String typeOf(Object value) {
        return switch (value) {
            case null -> "null";
            case Map<?, ?> ignored -> "object";
            case List<?> ignored -> "array";
            case String ignored -> "string";
            case Boolean ignored -> "boolean";
            case Number n -> n.doubleValue() == Math.rint(n.doubleValue()) ? "integer" : "number";
            default -> value.getClass().getSimpleName();
        };
    }
}
