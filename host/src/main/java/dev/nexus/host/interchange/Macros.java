package dev.nexus.host.interchange;

import java.util.Locale;

/**
 * Brings the speaker macros of imported text to the one spelling the host renders:
 * {@code {{char}}} and {@code {{user}}}. Character Cards write them in any case, with inner spaces,
 * and in the legacy forms {@code <BOT>} and {@code <USER>}; ElizaOS writes {@code {{agentName}}} and
 * {@code {{user1}}}/{@code {{name1}}}. Other macros ({@code {{original}}}, {@code {{random:…}}}) are
 * left alone. One pass over the text, no copy when nothing changes (card descriptions run to tens
 * of kilobytes). Stateless.
 */
final class Macros {

    private Macros() {
    }

    /** Normalises Character Card macros; text without any is returned as is. */
    static String card(String text) {
        return normalise(text, false);
    }

    /** Normalises ElizaOS placeholders (and Character Card macros, which some Eliza files use). */
    static String eliza(String text) {
        return normalise(text, true);
    }

    private static String normalise(String text, boolean eliza) {
        StringBuilder out = null;
        int copied = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c != '{' && c != '<') {
                continue;
            }
            int end;
            String replacement;
            if (c == '<') {
                end = text.indexOf('>', i);
                if (end < 0 || end - i > 5) {
                    continue;
                }
                String word = text.substring(i + 1, end).toLowerCase(Locale.ROOT);
                replacement = word.equals("bot") ? "{{char}}" : word.equals("user") ? "{{user}}" : null;
                end++;
            } else {
                if (i + 1 >= length || text.charAt(i + 1) != '{') {
                    continue;
                }
                end = text.indexOf("}}", i + 2);
                if (end < 0 || end - i > 20) {
                    continue;
                }
                replacement = braced(text.substring(i + 2, end).strip().toLowerCase(Locale.ROOT), eliza);
                end += 2;
            }
            if (replacement == null || text.regionMatches(i, replacement, 0, end - i) && replacement.length() == end - i) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(length + 16);
            }
            out.append(text, copied, i).append(replacement);
            copied = end;
            i = end - 1;
        }
        if (out == null) {
            return text;
        }
        return out.append(text, copied, length).toString();
    }

    private static String braced(String word, boolean eliza) {
        if (word.equals("char")) {
            return "{{char}}";
        }
        if (word.equals("user")) {
            return "{{user}}";
        }
        if (eliza) {
            if (word.equals("agentname")) {
                return "{{char}}";
            }
            if ((word.startsWith("user") || word.startsWith("name")) && word.length() > 4
                    && word.substring(4).chars().allMatch(Character::isDigit)) {
                return "{{user}}";
            }
        }
        return null;
    }
}
