package dev.nexus.host.evolution;

import dev.nexus.host.persona.PersonalityId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stored reply as feedback needs it: who wrote it with which traits. Immutable.
 *
 * @param messageId the reply's message id
 * @param personality the personality that replied
 * @param personalityVersion the version it replied with
 * @param traits the trait values the reply was written with
 * @param replyLength the reply's length in characters
 * @param messageLength the length of the message it answered
 * @param user the user whose conversation it is (only they and admins may rate it); empty when the
 *     lookup does not know (fakes in tests)
 */
public record Reply(
        String messageId,
        PersonalityId personality,
        int personalityVersion,
        Map<String, Double> traits,
        int replyLength,
        int messageLength,
        java.util.Optional<String> user) {

    /** Copies the traits. */
    public Reply {
        traits = Collections.unmodifiableMap(new LinkedHashMap<>(traits));
        user = user == null ? java.util.Optional.empty() : user;
    }

    /** A reply whose owner the lookup does not know. */
    public Reply(
            String messageId,
            PersonalityId personality,
            int personalityVersion,
            Map<String, Double> traits,
            int replyLength,
            int messageLength) {
        this(
                messageId,
                personality,
                personalityVersion,
                traits,
                replyLength,
                messageLength,
                java.util.Optional.empty());
    }
}
