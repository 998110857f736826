package dev.nexus.host.llm;

/**
 * One message of a prompt after the system prompt. Immutable.
 *
 * @param role who said it
 * @param text what was said, never null
 */
public record ModelMessage(Role role, String text) {

    /** Who a message is from. */
    public enum Role {
        /** The person talking to the personality. */
        USER,
        /** The personality. */
        ASSISTANT,
        /** An instruction placed among the messages, such as post-history instructions. */
        SYSTEM
    }

    /** Validates the message. */
    public ModelMessage {
        if (role == null) {
            throw new IllegalArgumentException("message role is required");
        }
        text = text == null ? "" : text;
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
}
