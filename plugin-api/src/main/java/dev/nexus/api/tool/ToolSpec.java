package dev.nexus.api.tool;

import java.util.regex.Pattern;

/**
 * What a tool does, as offered to the language model. Immutable.
 *
 * @param name unique tool name, {@code [a-z][a-z0-9_]{0,63}} (what the model calls)
 * @param description what the tool does and when to use it, for the model
 * @param parametersSchema a JSON Schema (draft 2020-12, as text) of the arguments object
 * @param risk how dangerous a call is; decides whether it waits for human approval
 */
public record ToolSpec(String name, String description, String parametersSchema, RiskLevel risk) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    /** Validates the spec. */
    public ToolSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("tool name must match " + NAME.pattern() + ", got '" + name + "'");
        }
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("tool '" + name + "' needs a description for the model");
        }
        if (parametersSchema == null || !parametersSchema.strip().startsWith("{")) {
            throw new IllegalArgumentException("tool '" + name + "' parametersSchema must be a JSON Schema object");
        }
        if (risk == null) {
            throw new IllegalArgumentException("tool '" + name + "' needs a risk level");
        }
    }
}
