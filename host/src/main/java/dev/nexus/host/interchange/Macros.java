package dev.nexus.host.interchange;

import java.util.regex.Pattern;

/**
 * Brings the speaker macros of imported text to the one spelling the host renders:
 * {@code {{char}}} and {@code {{user}}}. Character Cards write them in any case and have the legacy
 * forms {@code <BOT>} and {@code <USER>}; ElizaOS writes {@code {{agentName}}} and
 * {@code {{user1}}}/{@code {{name1}}}. Other macros ({@code {{original}}}, {@code {{random:…}}}) are
 * left alone. Stateless.
 */
final class Macros {

    private static final Pattern CHAR = Pattern.compile("\\{\\{\\s*char\\s*}}|<bot>", Pattern.CASE_INSENSITIVE);
    private static final Pattern USER = Pattern.compile("\\{\\{\\s*user\\s*}}|<user>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ELIZA_AGENT = Pattern.compile("\\{\\{\\s*agentName\\s*}}", Pattern.CASE_INSENSITIVE);
    private static final Pattern ELIZA_USER = Pattern.compile("\\{\\{\\s*(?:user|name)\\d+\\s*}}", Pattern.CASE_INSENSITIVE);

    private Macros() {
    }

    /** Normalises Character Card macros; text without any is returned as is. */
    static String card(String text) {
        if (text.indexOf('{') < 0 && text.indexOf('<') < 0) {
            return text;
        }
        String out = CHAR.matcher(text).replaceAll("{{char}}");
        return USER.matcher(out).replaceAll("{{user}}");
    }

    /** Normalises ElizaOS placeholders (and Character Card macros, which some Eliza files use). */
    static String eliza(String text) {
        if (text.indexOf('{') < 0 && text.indexOf('<') < 0) {
            return text;
        }
        String out = ELIZA_AGENT.matcher(text).replaceAll("{{char}}");
        out = ELIZA_USER.matcher(out).replaceAll("{{user}}");
        return card(out);
    }
}
