package dev.nexus.host.conversation;

import dev.nexus.host.persona.PersonalityId;
import java.time.Instant;
import java.util.Map;

/**
 * What feedback needs to know about a stored reply: who wrote it, with which personality version and
 * trait vector, how long it was, and what it answered. Immutable.
 *
 * @param messageId the reply's id
 * @param conversation the conversation id
 * @param user the user the reply was for
 * @param personality the personality that wrote it
 * @param personalityVersion the personality version used
 * @param traits the trait values used
 * @param replyLength the reply's length in characters
 * @param replyText the reply
 * @param userMessageId the id of the user message it answered
 * @param userText the user message it answered
 * @param createdAt when the reply was stored
 */
public record ReplyFacts(
        String messageId,
        String conversation,
        String user,
        PersonalityId personality,
        int personalityVersion,
        Map<String, Double> traits,
        int replyLength,
        String replyText,
        String userMessageId,
        String userText,
        Instant createdAt) {

    /** Copies the traits. */
    public ReplyFacts {
        traits = Map.copyOf(traits);
    }
}
