package dev.nexus.host.llm;

/**
 * A tool call the model asked for. Immutable. Executing it is the tool executor's job, not the model's.
 *
 * @param id the provider's id of the call (empty when it gives none)
 * @param name the tool name
 * @param arguments the arguments as a JSON object text
 */
public record ToolCallRequest(String id, String name, String arguments) {

    /** Replaces absent values with empty ones. */
    public ToolCallRequest {
        id = id == null ? "" : id;
        name = name == null ? "" : name;
        arguments = arguments == null || arguments.isBlank() ? "{}" : arguments;
    }
}
