package dev.nexus.api.turn;

import dev.nexus.api.Experimental;
import java.util.List;

/**
 * One conversation turn as a {@link TurnFilter} sees it. Immutable.
 *
 * @param personality the personality id answering
 * @param user the user id (as the platform names them)
 * @param platform where the message came from ({@code api} for the HTTP API)
 * @param conversation the conversation id
 * @param text the user's message as the model will see it (filters may have amended it)
 * @param context extra context filters added so far, shown to the model with the message
 */
@Experimental
public record Turn(
        String personality, String user, String platform, String conversation, String text, List<String> context) {

    /** Validates and copies. */
    public Turn {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("turn text must not be blank");
        }
        context = context == null ? List.of() : List.copyOf(context);
    }
}
