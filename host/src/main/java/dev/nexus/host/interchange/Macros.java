package dev.nexus.host.interchange;

import dev.nexus.host.persona.MacroText;
import java.util.Optional;

/**
 * Brings the speaker macros of imported text to the one spelling the host renders:
 * {@code {{char}}} and {@code {{user}}}. Character Cards write them in any case, with inner spaces,
 * and in the legacy forms {@code <BOT>} and {@code <USER>}; ElizaOS writes {@code {{agentName}}} and
 * {@code {{user1}}}/{@code {{name1}}}. Other macros ({@code {{original}}}, {@code {{random:…}}}) are
 * left alone (they are expanded when a prompt is assembled, see {@code PersonaPrompt#expand}). The
 * scan is {@link MacroText}'s, the same one prompt assembly uses. Stateless.
 */
final class Macros {

    private Macros() {}

    /** Normalises Character Card macros; text without any is returned as is. */
    static String card(String text) {
        return normalise(text, false);
    }

    /** Normalises ElizaOS placeholders (and Character Card macros, which some Eliza files use). */
    static String eliza(String text) {
        return normalise(text, true);
    }

    private static String normalise(String text, boolean eliza) {
        return MacroText.replace(
                text,
                (name, argument, raw) -> Optional.ofNullable(
                        switch (name) {
                            case "char", "<bot>" -> argument.isEmpty() ? "{{char}}" : null;
                            case "user", "<user>" -> argument.isEmpty() ? "{{user}}" : null;
                            case "agentname" -> eliza && argument.isEmpty() ? "{{char}}" : null;
                            default ->
                                eliza && argument.isEmpty() && MacroText.numberedSpeaker(name) ? "{{user}}" : null;
                        }));
    }
}
