package dev.nexus.host.interchange;

import dev.nexus.host.persona.ExampleTurn;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts between a Character Card {@code mes_example} (dialogues separated by {@code <START>}
 * lines, each line starting with {@code {{user}}:} or {@code {{char}}:}) and example conversations.
 * Input must already have its macros normalised ({@link Macros#card}). A line that starts with the
 * character's own name and a colon counts as the character speaking; lines without a speaker continue
 * the previous turn, and text before the first speaker of a block is the character's. Stateless.
 */
final class Examples {

    private static final Pattern START = Pattern.compile("^\\s*<start>\\s*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern SPEAKER = Pattern.compile("^\\s*(\\{\\{user}}|\\{\\{char}})\\s*:\\s?(.*)$");

    private Examples() {}

    /** Parses {@code text}; blank text and blank blocks give no examples. */
    static List<List<ExampleTurn>> parse(String text, String characterName) {
        List<List<ExampleTurn>> examples = new ArrayList<>();
        if (text.isBlank()) {
            return examples;
        }
        String namePrefix =
                characterName.isBlank() ? null : characterName.strip().toLowerCase(Locale.ROOT) + ":";
        List<ExampleTurn> block = new ArrayList<>();
        String role = null;
        StringBuilder turn = new StringBuilder();
        for (String line : text.split("\\R", -1)) {
            if (START.matcher(line).matches()) {
                flush(block, role, turn);
                role = null;
                addBlock(examples, block);
                block = new ArrayList<>();
                continue;
            }
            Matcher speaker = SPEAKER.matcher(line);
            String stripped = line.stripLeading();
            if (speaker.matches()) {
                flush(block, role, turn);
                role = speaker.group(1).equals("{{user}}") ? "user" : "assistant";
                turn.append(speaker.group(2));
            } else if (namePrefix != null && stripped.toLowerCase(Locale.ROOT).startsWith(namePrefix)) {
                flush(block, role, turn);
                role = "assistant";
                turn.append(stripped.substring(namePrefix.length()).stripLeading());
            } else {
                if (role == null) {
                    role = "assistant";
                } else {
                    turn.append('\n');
                }
                turn.append(line);
            }
        }
        flush(block, role, turn);
        addBlock(examples, block);
        return examples;
    }

    private static void flush(List<ExampleTurn> block, String role, StringBuilder turn) {
        if (role != null) {
            String text = turn.toString().strip();
            if (!text.isEmpty() || "user".equals(role) || !block.isEmpty()) {
                block.add(new ExampleTurn(role, text));
            }
        }
        turn.setLength(0);
    }

    private static void addBlock(List<List<ExampleTurn>> examples, List<ExampleTurn> block) {
        if (!block.isEmpty()) {
            examples.add(List.copyOf(block));
        }
    }

    /** Renders examples as {@code <START>} blocks; no examples give empty text. */
    static String render(List<List<ExampleTurn>> examples) {
        StringBuilder out = new StringBuilder();
        for (List<ExampleTurn> example : examples) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append("<START>");
            for (ExampleTurn turn : example) {
                out.append('\n')
                        .append("user".equals(turn.role()) ? "{{user}}: " : "{{char}}: ")
                        .append(turn.text());
            }
        }
        return out.toString();
    }
}
