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
 */
public record Reply(String messageId, PersonalityId personality, int personalityVersion, Map<String, Double> traits,
        int replyLength, int messageLength) {

    /** Copies the traits. */
    public Reply {
        traits = Collections.unmodifiableMap(new LinkedHashMap<>(traits));
    }
}
