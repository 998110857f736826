package dev.nexus.host.llm;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.nexus.api.tool.ToolSpec;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Converts between our model types and langchain4j's. Stateless; the only place both meet. */
final class Conversion {

    /** Sent as a tool's result when it returned nothing: providers refuse empty tool messages. */
    static final String EMPTY_RESULT = "(the tool returned no output)";

    private Conversion() {}

    /** Returns the langchain4j request for {@code request}; blank messages are left out. */
    static ChatRequest toChatRequest(ModelRequest request, int defaultReplyTokens) {
        List<ChatMessage> messages = new ArrayList<>();
        if (!request.systemPrompt().isBlank()) {
            messages.add(SystemMessage.from(request.systemPrompt()));
        }
        for (ModelMessage message : request.messages()) {
            if (message.text().isBlank() && message.toolCalls().isEmpty() && message.role() != ModelMessage.Role.TOOL) {
                continue;
            }
            messages.add(
                    switch (message.role()) {
                        case USER -> UserMessage.from(message.text());
                        case ASSISTANT -> assistant(message);
                        case SYSTEM -> SystemMessage.from(message.text());
                        case TOOL ->
                            ToolExecutionResultMessage.from(
                                    message.toolCallId(),
                                    message.toolName(),
                                    message.text().isBlank() ? EMPTY_RESULT : message.text());
                    });
        }
        int replyTokens = request.maxReplyTokens() > 0 ? request.maxReplyTokens() : defaultReplyTokens;
        var parameters = ChatRequestParameters.builder().maxOutputTokens(replyTokens);
        if (!request.tools().isEmpty()) {
            parameters.toolSpecifications(
                    request.tools().stream().map(Conversion::toolSpecification).toList());
        }
        return ChatRequest.builder()
                .messages(messages)
                .parameters(parameters.build())
                .build();
    }

    /** Returns the assistant message, with its tool execution requests when it asked for tools. */
    private static AiMessage assistant(ModelMessage message) {
        if (message.toolCalls().isEmpty()) {
            return AiMessage.from(message.text());
        }
        List<ToolExecutionRequest> requests = message.toolCalls().stream()
                .map(call -> ToolExecutionRequest.builder()
                        .id(call.id())
                        .name(call.name())
                        .arguments(call.arguments())
                        .build())
                .toList();
        return message.text().isBlank() ? AiMessage.from(requests) : AiMessage.from(message.text(), requests);
    }

    /** Returns our reply for a whole (not streamed) langchain4j response. */
    static ModelReply fromResponse(ChatResponse response, ModelDescription model) {
        return fromResponse(response, model, "", false);
    }

    /**
     * Returns our reply for a langchain4j response; {@code streamed} is the text seen while streaming.
     * A stream that ended without a finish reason may have been cut short, so it is reported as
     * {@link FinishReason#OTHER}, not as a normal stop.
     */
    static ModelReply fromResponse(ChatResponse response, ModelDescription model, String streamed, boolean stream) {
        AiMessage message = response.aiMessage();
        String text = message == null || message.text() == null ? streamed : message.text();
        List<ToolCallRequest> calls = message == null || !message.hasToolExecutionRequests()
                ? List.of()
                : message.toolExecutionRequests().stream()
                        .map(Conversion::toolCall)
                        .toList();
        var usage = response.tokenUsage();
        TokenUsage tokens = usage == null
                ? new TokenUsage(0, TokenEstimate.of(text))
                : new TokenUsage(orZero(usage.inputTokenCount()), orZero(usage.outputTokenCount()));
        FinishReason reason = stream && response.finishReason() == null
                ? FinishReason.OTHER
                : finishReason(response.finishReason(), calls);
        return new ModelReply(text, tokens, reason, model, calls);
    }

    private static ToolCallRequest toolCall(ToolExecutionRequest request) {
        return new ToolCallRequest(request.id(), request.name(), request.arguments());
    }

    private static FinishReason finishReason(
            dev.langchain4j.model.output.FinishReason reason, List<ToolCallRequest> calls) {
        if (reason == null) {
            return calls.isEmpty() ? FinishReason.STOP : FinishReason.TOOL_CALLS;
        }
        return switch (reason) {
            case STOP -> FinishReason.STOP;
            case LENGTH -> FinishReason.LENGTH;
            case TOOL_EXECUTION -> FinishReason.TOOL_CALLS;
            case CONTENT_FILTER -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }

    /**
     * Returns the langchain4j tool description for a plugin's tool: the top-level object's properties
     * are passed on as raw JSON Schema, so nothing of the plugin's schema is lost.
     */
    static ToolSpecification toolSpecification(ToolSpec tool) {
        Map<String, Object> schema;
        try {
            schema = Json.readMap(tool.parametersSchema());
        } catch (InvalidInputException e) {
            throw new InvalidInputException(
                    "tool '" + tool.name() + "' has a parameters schema that is not valid JSON: "
                            + InvalidInputException.cap(e.getMessage()),
                    e);
        }
        JsonObjectSchema.Builder parameters = JsonObjectSchema.builder();
        if (schema.get("properties") instanceof Map<?, ?> properties) {
            properties.forEach((name, property) ->
                    parameters.addProperty(String.valueOf(name), JsonRawSchema.from(Json.write(property))));
        }
        List<String> required = new ArrayList<>();
        if (schema.get("required") instanceof List<?> names) {
            names.forEach(name -> required.add(String.valueOf(name)));
        }
        if (!required.isEmpty()) {
            parameters.required(required);
        }
        return ToolSpecification.builder()
                .name(tool.name())
                .description(tool.description())
                .parameters(parameters.build())
                .build();
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
