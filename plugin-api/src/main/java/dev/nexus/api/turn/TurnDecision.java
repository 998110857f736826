package dev.nexus.api.turn;

import dev.nexus.api.Experimental;
import java.util.List;

/**
 * What a {@link TurnFilter} decides before the model. The host switches over these; new cases may
 * be added in a minor version, which does not break filters (they only construct decisions).
 */
@Experimental
public sealed interface TurnDecision {

    /** Returns a decision that leaves the turn as it is. */
    static TurnDecision proceed() {
        return new Proceed(null, List.of());
    }

    /**
     * Go on to the model.
     *
     * @param text the user's message to send instead (e.g. redacted); {@code null} keeps it unchanged
     * @param addContext lines of context to add for the model (e.g. a retrieved fact); empty for none
     */
    @Experimental
    record Proceed(String text, List<String> addContext) implements TurnDecision {

        /** Validates and copies. */
        public Proceed {
            if (text != null && text.isBlank()) {
                throw new IllegalArgumentException("an amended turn text must not be blank; return null to keep it");
            }
            addContext = addContext == null ? List.of() : List.copyOf(addContext);
        }
    }

    /**
     * Do not ask the model; answer with {@code reply} instead (stored like any reply).
     *
     * @param reply what the user is told, e.g. "I can't help with that here."
     */
    @Experimental
    record Refuse(String reply) implements TurnDecision {

        /** Validates. */
        public Refuse {
            if (reply == null || reply.isBlank()) {
                throw new IllegalArgumentException("a refusal needs a reply for the user");
            }
        }
    }
}
