package dev.nexus.host.persona;

/**
 * One turn of an example conversation. Immutable.
 *
 * @param role {@code user} or {@code assistant}
 * @param text what was said; may contain {@code {{user}}} and {@code {{char}}}
 */
public record ExampleTurn(String role, String text) {

    /** Validates the role. */
    public ExampleTurn {
        if (!"user".equals(role) && !"assistant".equals(role)) {
            throw new dev.nexus.host.InvalidInputException("example turn role must be 'user' or 'assistant', got '"
                    + dev.nexus.host.InvalidInputException.cap(role) + "'");
        }
        text = text == null ? "" : text;
    }
}
