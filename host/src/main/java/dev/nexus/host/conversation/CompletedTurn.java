package dev.nexus.host.conversation;

import dev.nexus.host.persona.PersonalityId;
import java.time.Instant;
import java.util.Map;

/**
 * A stored user message and the stored reply to it. Immutable.
 *
 * @param conversation the conversation id
 * @param platform where the user wrote from ({@code api}, {@code webhook}, …)
 * @param user the user's id
 * @param personality the personality that replied
 * @param personalityVersion the personality version used
 * @param userMessageId the stored user message id
 * @param userText what the user wrote
 * @param replyId the stored reply id
 * @param replyText what the personality answered
 * @param traits the trait values used for the reply
 * @param at when the reply was stored
 */
public record CompletedTurn(
        String conversation,
        String platform,
        String user,
        PersonalityId personality,
        int personalityVersion,
        String userMessageId,
        String userText,
        String replyId,
        String replyText,
        Map<String, Double> traits,
        Instant at) {

    /** Copies the traits. */
    public CompletedTurn {
        traits = Map.copyOf(traits);
    }
}
