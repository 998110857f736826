package dev.nexus.host.persona;

import java.util.List;
import java.util.Optional;

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
 * <p>Macros, replaced case-insensitively in every part, to a fixed point (see {@link #expand}):
 * {@code {{char}}} and {@code <BOT>} (the personality's name), {@code {{user}}} and {@code <USER>} (the
 * user's name), {@code {{original}}} (the host's default system prompt, as the Character Card spec
 * defines it, its own macros expanded too), ElizaOS's {@code {{agentName}}}, {@code {{user1}}} and
 * {@code {{name1}}}, and SillyTavern's {@code {{newline}}}, {@code {{trim}}}, {@code {{noop}}},
 * {@code {{// comment}}}, {@code {{random:a,b}}} / {@code {{random::a::b}}} and {@code {{pick…}}}
 * (a stable choice, so the same prompt is rendered the same way). Other macros are left as written.
 */
public final class PersonaPrompt {

    /** How many passes {@link #expand} makes at most (text a macro brings in may hold macros itself). */
    private static final int MAX_PASSES = 8;
    /** Stand-ins for the names during the passes: Unicode noncharacters, never part of exchanged text. */
    private static final String CHAR_MARK = "\uFDD0";

    private static final String USER_MARK = "\uFDD1";

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
     * Expands the macros in any personality text (a greeting, an example turn, lore) for this
     * conversation, to a fixed point: text a macro brings in ({@code {{original}}}, the choice of a
     * {@code {{random}}}) and macros nested in others ({@code {{random::{{char}} waves::hi}}}) are
     * expanded in further passes, at most {@value #MAX_PASSES}. The names are data: they are put in
     * after the last pass and never expanded (a character called {@code {{user}}} keeps its name).
     *
     * @param text the text
     * @param character the personality's name, for {@code {{char}}} and {@code <BOT>}
     * @param user the user's name, for {@code {{user}}} and {@code <USER>}
     * @param original the host's default system prompt, for {@code {{original}}}
     */
    public static String expand(String text, String character, String user, String original) {
        String current = text;
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            String next = MacroText.replace(
                    current,
                    (name, argument, raw) -> Optional.ofNullable(
                            switch (name) {
                                case "char", "<bot>", "agentname", "bot" -> CHAR_MARK;
                                case "user", "<user>" -> USER_MARK;
                                case "original" -> original;
                                case "newline" -> "\n";
                                case "trim", "noop", "//" -> "";
                                case "random", "pick" -> argument.isEmpty() ? "" : choose(argument, raw);
                                default -> MacroText.numberedSpeaker(name) ? USER_MARK : null;
                            }));
            if (next.equals(current)) {
                break;
            }
            current = next;
        }
        if (current.indexOf(CHAR_MARK.charAt(0)) >= 0) {
            current = current.replace(CHAR_MARK, character);
        }
        if (current.indexOf(USER_MARK.charAt(0)) >= 0) {
            current = current.replace(USER_MARK, user);
        }
        return current;
    }

    /** A stable choice among the options of {@code {{random:a,b}}} or {@code {{random::a::b}}}. */
    private static String choose(String argument, String raw) {
        String[] options = argument.contains("::") ? argument.split("::", -1) : argument.split(",", -1);
        return options[Math.floorMod(raw.hashCode(), options.length)].strip();
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
