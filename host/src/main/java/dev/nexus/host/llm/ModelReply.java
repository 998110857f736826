package dev.nexus.host.llm;

import java.util.List;

/**
 * A model's answer. Immutable.
 *
 * @param text the reply text (empty when the model only asked for tool calls)
 * @param usage the tokens used
 * @param finishReason why the model stopped
 * @param model which model answered
 * @param toolCalls tool calls the model asked for, in order
 */
public record ModelReply(
        String text,
        TokenUsage usage,
        FinishReason finishReason,
        ModelDescription model,
        List<ToolCallRequest> toolCalls) {

    /** Validates and copies. */
    public ModelReply {
        text = text == null ? "" : text;
        if (usage == null || finishReason == null || model == null) {
            throw new IllegalArgumentException("a model reply needs usage, a finish reason and a model");
        }
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    /** Returns true when the offline default model wrote this reply. */
    public boolean offline() {
        return model.offline();
    }
}
