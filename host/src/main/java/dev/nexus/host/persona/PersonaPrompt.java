package dev.nexus.host.persona;

import java.util.List;
import java.util.Locale;

/**
 * Renders the persona section of a system prompt, and the post-history instructions, from one
 * personality version. The conversation's prompt composer puts knowledge, memories and the history
 * around it. Immutable and thread-safe.
 *
 * <p>Section layout (empty parts are left out):
 * <pre>
 * [system-prompt template, or the host's default prompt when the template is empty]
 *
 * ## {{char}}
 * [description]
 *
 * Personality: [summary]
 * Scenario: [scenario]
 * Voice and tone: [voice]
 *
 * Style:
 * - [style rule] ...
 *
 * Values:
 * - [value] ...
 *
 * How to respond:
 * - [one instruction per trait, from {@link TraitRenderer}]
 * </pre>
 *
 * <p>Macros, replaced case-insensitively in every part: {@code {{char}}} (the personality's name),
 * {@code {{user}}} (the user's name), {@code {{original}}} (the host's default system prompt, as the
 * Character Card spec defines it), and the legacy {@code <BOT>} and {@code <USER>}. Replacement is a
 * single pass, so a name that itself contains a macro is not expanded again. Other macros are left as
 * they are.
 */
public final class PersonaPrompt {

    /** The longest {@code {{ ... }}} macro looked at: {@code {{original}}} with some spaces inside. */
    private static final int MAX_MACRO = 24;

    private final TraitRenderer traits;

    /** Creates a renderer that uses {@code traits} for the trait instructions. */
    public PersonaPrompt(TraitRenderer traits) {
        this.traits = traits;
    }

    /**
     * Returns the persona section of the system prompt.
     *
     * @param personality the personality version answering
     * @param user the user's display name, for {@code {{user}}}
     * @param original the host's default system prompt, used when the personality has no template and
     *     for {@code {{original}}}; may be empty
     */
    public String section(Personality personality, String user, String original) {
        StringBuilder out = new StringBuilder();
        String opening = personality.systemPrompt().isBlank() ? original : personality.systemPrompt();
        if (opening.isBlank()) {
            opening = "You are {{char}}.";
        }
        paragraph(out, opening.strip());
        paragraph(out, "## {{char}}\n" + personality.description().strip());
        StringBuilder facts = new StringBuilder();
        line(facts, "Personality: ", personality.summary());
        line(facts, "Scenario: ", personality.scenario());
        line(facts, "Voice and tone: ", personality.voice());
        paragraph(out, facts.toString().strip());
        bullets(out, "Style:", personality.style());
        bullets(out, "Values:", personality.values());
        bullets(out, "How to respond:", traits.instructions(personality.traits()));
        return expand(out.toString().strip(), personality.name(), user, original);
    }

    /**
     * Returns the instructions to place after the conversation history (empty when the personality
     * has none), with macros expanded.
     */
    public String postHistory(Personality personality, String user, String original) {
        return expand(personality.postHistoryInstructions().strip(), personality.name(), user, original);
    }

    /**
     * Expands the macros in any personality text (a greeting, an example turn) for this conversation.
     *
     * @param text the text
     * @param character the personality's name, for {@code {{char}}} and {@code <BOT>}
     * @param user the user's name, for {@code {{user}}} and {@code <USER>}
     * @param original the host's default system prompt, for {@code {{original}}}
     */
    public static String expand(String text, String character, String user, String original) {
        // A hand-written scan: the persona section is rendered on every turn, and a regular expression
        // tried at every character cost several times more than the rest of the rendering.
        StringBuilder out = null;
        int copied = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            String replacement = null;
            int end = i;
            if (c == '{' && i + 1 < length && text.charAt(i + 1) == '{') {
                int close = text.indexOf("}}", i + 2);
                if (close < 0) {
                    break;
                }
                if (close - i <= MAX_MACRO) {
                    replacement = switch (text.substring(i + 2, close).strip().toLowerCase(Locale.ROOT)) {
                        case "char" -> character;
                        case "user" -> user;
                        case "original" -> original;
                        default -> null;
                    };
                    end = close + 2;
                }
            } else if (c == '<') {
                if (text.regionMatches(true, i, "<bot>", 0, 5)) {
                    replacement = character;
                    end = i + 5;
                } else if (text.regionMatches(true, i, "<user>", 0, 6)) {
                    replacement = user;
                    end = i + 6;
                }
            }
            if (replacement != null) {
                if (out == null) {
                    out = new StringBuilder(length + 64);
                }
                out.append(text, copied, i).append(replacement);
                copied = end;
                i = end - 1;
            }
        }
        if (out == null) {
            return text;
        }
        return out.append(text, copied, length).toString();
    }

    private static void paragraph(StringBuilder out, String text) {
        if (text.isBlank()) {
            return;
        }
        if (!out.isEmpty()) {
            out.append("\n\n");
        }
        out.append(text);
    }

    private static void line(StringBuilder out, String label, String value) {
        if (!value.isBlank()) {
            out.append(label).append(value.strip()).append('\n');
        }
    }

    private static void bullets(StringBuilder out, String heading, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        StringBuilder block = new StringBuilder(heading);
        items.forEach(item -> block.append("\n- ").append(item.strip()));
        paragraph(out, block.toString());
    }
}
