package dev.nexus.host.llm;

import java.util.List;

/**
 * One message of a prompt after the system prompt. Immutable.
 *
 * <p>Besides plain text, a message can be an assistant turn that asked for tool calls
 * ({@link #assistantToolCalls}) or the result of one of those calls ({@link #toolResult}); together they
 * let a turn carry the tool loop back to the model.
 *
 * @param role who said it
 * @param text what was said, never null (may be empty for an assistant turn that only called tools)
 * @param toolCalls the tool calls an assistant turn asked for; empty for every other message
 * @param toolCallId for a {@link Role#TOOL} message, the id of the call it answers; empty otherwise
 * @param toolName for a {@link Role#TOOL} message, the tool that answered; empty otherwise
 */
public record ModelMessage(
        Role role, String text, List<ToolCallRequest> toolCalls, String toolCallId, String toolName) {

    /** Who a message is from. */
    public enum Role {
        /** The person talking to the personality. */
        USER,
        /** The personality. */
        ASSISTANT,
        /** An instruction placed among the messages, such as post-history instructions. */
        SYSTEM,
        /** The result of a tool call the assistant asked for. */
        TOOL
    }

    /** Validates the message. */
    public ModelMessage {
        if (role == null) {
            throw new IllegalArgumentException("message role is required");
        }
        text = text == null ? "" : text;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        toolCallId = toolCallId == null ? "" : toolCallId;
        toolName = toolName == null ? "" : toolName;
        if (!toolCalls.isEmpty() && role != Role.ASSISTANT) {
            throw new IllegalArgumentException(
                    "only an assistant message can carry tool calls, not a " + role + " message");
        }
        if (role == Role.TOOL && toolName.isEmpty()) {
            throw new IllegalArgumentException("a tool result message needs the tool's name");
        }
    }

    /** Returns a plain message of {@code role}. */
    public ModelMessage(Role role, String text) {
        this(role, text, List.of(), "", "");
    }

    /** Returns a user message. */
    public static ModelMessage user(String text) {
        return new ModelMessage(Role.USER, text);
    }

    /** Returns an assistant message. */
    public static ModelMessage assistant(String text) {
        return new ModelMessage(Role.ASSISTANT, text);
    }

    /** Returns a system instruction placed among the messages. */
    public static ModelMessage system(String text) {
        return new ModelMessage(Role.SYSTEM, text);
    }

    /** Returns the assistant turn that asked for {@code calls} (with any text it wrote alongside). */
    public static ModelMessage assistantToolCalls(String text, List<ToolCallRequest> calls) {
        if (calls == null || calls.isEmpty()) {
            throw new IllegalArgumentException("an assistant tool-call message needs at least one call");
        }
        return new ModelMessage(Role.ASSISTANT, text, calls, "", "");
    }

    /** Returns the result of the call {@code callId} to {@code toolName}, as the model will read it. */
    public static ModelMessage toolResult(String callId, String toolName, String result) {
        return new ModelMessage(Role.TOOL, result, List.of(), callId, toolName);
    }
}
