package dev.nexus.host.conversation;

import dev.nexus.host.persona.PersonalityId;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

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
 * @param speaker who said the user's message when it was someone other than the user (issue 16: a group
 *     chat relayed through the API); memory then attributes what it says to that person
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
        Instant at,
        Optional<Speaker> speaker) {

    /** Copies the traits. */
    public CompletedTurn {
        traits = Map.copyOf(traits);
        speaker = speaker == null ? Optional.empty() : speaker;
    }
}
