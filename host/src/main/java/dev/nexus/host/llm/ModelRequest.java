package dev.nexus.host.llm;

import dev.nexus.api.tool.ToolSpec;
import java.util.List;
import java.util.Optional;

/**
 * One call to a language model. Immutable.
 *
 * @param systemPrompt the system prompt, always sent first
 * @param messages the conversation after the system prompt, oldest first; the last one is normally
 *     the user's new message (post-history instructions may follow it as a system message)
 * @param tools tools offered to the model; empty for none
 * @param maxReplyTokens the most tokens the reply may use; zero for the configured default
 * @param grounding the structured content behind the prompt, used by the offline model
 */
public record ModelRequest(
        String systemPrompt,
        List<ModelMessage> messages,
        List<ToolSpec> tools,
        int maxReplyTokens,
        Optional<Grounding> grounding) {

    /** Validates and copies. */
    public ModelRequest {
        systemPrompt = systemPrompt == null ? "" : systemPrompt;
        messages = messages == null ? List.of() : List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
        if (maxReplyTokens < 0) {
            throw new IllegalArgumentException("maxReplyTokens must be >= 0, got " + maxReplyTokens);
        }
        grounding = grounding == null ? Optional.empty() : grounding;
    }

    /** Returns a request with a system prompt and messages only. */
    public static ModelRequest of(String systemPrompt, List<ModelMessage> messages) {
        return new ModelRequest(systemPrompt, messages, List.of(), 0, Optional.empty());
    }

    /** Returns the text of the last user message, or empty text when there is none. */
    public String lastUserText() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == ModelMessage.Role.USER) {
                return messages.get(i).text();
            }
        }
        return "";
    }

    /** Returns a copy offering {@code offered} tools (none when empty). */
    public ModelRequest withTools(List<ToolSpec> offered) {
        return new ModelRequest(systemPrompt, messages, offered, maxReplyTokens, grounding);
    }

    /** Returns a copy with {@code more} messages appended after the existing ones. */
    public ModelRequest plus(List<ModelMessage> more) {
        List<ModelMessage> all = new java.util.ArrayList<>(messages);
        all.addAll(more);
        return new ModelRequest(systemPrompt, all, tools, maxReplyTokens, grounding);
    }

    /** Returns a copy with {@code grounding} attached. */
    public ModelRequest withGrounding(Grounding value) {
        return new ModelRequest(systemPrompt, messages, tools, maxReplyTokens, Optional.of(value));
    }
}
