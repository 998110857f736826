package dev.nexus.host.persona;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final Pattern MACRO = Pattern.compile(
            "\\{\\{\\s*(char|user|original)\\s*}}|<(bot|user)>", Pattern.CASE_INSENSITIVE);

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
        Matcher matcher = MACRO.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 32);
        while (matcher.find()) {
            String word = (matcher.group(1) != null ? matcher.group(1) : matcher.group(2)).toLowerCase(java.util.Locale.ROOT);
            String replacement = switch (word) {
                case "char", "bot" -> character;
                case "user" -> user;
                default -> original;
            };
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
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
