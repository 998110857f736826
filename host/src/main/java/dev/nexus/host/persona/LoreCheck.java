package dev.nexus.host.persona;

import dev.nexus.api.knowledge.LoreEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Finds what in lore entries does not work as written: an empty key (skipped at recall, and the entry
 * never activates when no key is left), a key written {@code /pattern/flags} that is not a valid
 * regular expression (matched as plain text, as SillyTavern does), and World Info settings Nexus keeps
 * without a meaning yet (positions such as {@code @depth} with a role or an outlet, decorators such as
 * {@code @@depth}). Every entry is still stored (an import keeps every byte); these are what an import
 * and {@code GET /v1/personalities/{id}} report as warnings. The matching rules themselves live in the
 * knowledge feature (docs/world-info.md). Stateless.
 */
public final class LoreCheck {

    /**
     * The one content limit of a lore or World Info entry, in characters, wherever it comes from (a card,
     * a lorebook, a pack, a persona document): longer entries are refused at import naming the entry;
     * anything within it activates, cut to the turn's budget when it is larger (docs/world-info.md).
     */
    public static final int MAX_CONTENT_CHARS = 100_000;

    private static final Pattern REGEX_FORM = Pattern.compile("^/([\\s\\S]+?)/([a-z]*)$");
    private static final Pattern UNESCAPED_SLASH = Pattern.compile("(^|[^\\\\])/");
    private static final java.util.Set<String> KEPT_DECORATORS = java.util.Set.of(
            "depth",
            "instruct_depth",
            "reverse_depth",
            "reverse_instruct_depth",
            "role",
            "instruct_scan_depth",
            "position",
            "is_user_icon",
            "disable_ui_prompt");

    private LoreCheck() {}

    /** Returns one message per problem, naming the entry (index, id or name) and the key; empty when all is well. */
    public static List<String> problems(List<LoreEntry> lore) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lore.size(); i++) {
            LoreEntry entry = lore.get(i);
            String label = "lore[" + i + "]"
                    + (entry.name().isBlank()
                            ? entry.id().isBlank() ? "" : " '" + cap(entry.id()) + "'"
                            : " '" + cap(entry.name()) + "'");
            int usable = 0;
            for (String key : entry.keys()) {
                String problem = problem(key, entry.useRegex());
                if (key != null && !key.isBlank()) {
                    usable++; // a broken regex is still matched, as plain text
                }
                if (!problem.isEmpty()) {
                    problems.add(label + ": " + problem);
                }
            }
            for (String key : entry.secondaryKeys()) {
                String problem = problem(key, entry.useRegex());
                if (!problem.isEmpty()) {
                    problems.add(label + ": secondary " + problem);
                }
            }
            if (usable == 0 && !entry.keys().isEmpty() && entry.enabled() && !entry.constant()) {
                problems.add(label + ": no usable key is left, so the entry never activates; fix its keys");
            }
            kept(entry).forEach(note -> problems.add(label + ": " + note));
        }
        return problems;
    }

    /** Returns what is wrong with one key, empty when it can be matched. */
    static String problem(String key, boolean useRegex) {
        if (key == null || key.isBlank()) {
            return "a key is empty and is skipped; remove it or give it text";
        }
        Matcher form = REGEX_FORM.matcher(key.strip());
        if (!form.matches()) {
            return "";
        }
        if (!form.group(2).matches("[gimsuy]*")
                || UNESCAPED_SLASH.matcher(form.group(1)).find()) {
            return "key '" + cap(key)
                    + "' is not a valid regular expression (flags g, i, m, s, u, y and no unescaped '/');"
                    + " it is matched as plain text, as SillyTavern does";
        }
        try {
            Pattern.compile(form.group(1));
            return "";
        } catch (PatternSyntaxException e) {
            return "key '" + cap(key) + "' is not a valid regular expression (" + e.getDescription()
                    + "); it is matched as plain text, as SillyTavern does";
        }
    }

    /** World Info settings kept without a Nexus meaning yet. */
    private static List<String> kept(LoreEntry entry) {
        List<String> notes = new ArrayList<>();
        Object position = entry.extensions().get("position");
        if (position instanceof Number n && n.intValue() >= 2) {
            Object role = entry.extensions().get("role");
            String where = switch (n.intValue()) {
                case 2 -> "top of Author's Note";
                case 3 -> "bottom of Author's Note";
                case 4 ->
                    "@depth " + entry.extensions().getOrDefault("depth", 4) + " as "
                            + (role instanceof Number r && r.intValue() == 1
                                    ? "user"
                                    : role instanceof Number r2 && r2.intValue() == 2 ? "assistant" : "system");
                case 5 -> "top of example messages";
                case 6 -> "bottom of example messages";
                case 7 ->
                    "outlet '"
                            + entry.extensions()
                                    .getOrDefault(
                                            "outlet_name", entry.extensions().getOrDefault("outletName", ""))
                            + "'";
                default -> "position " + n.intValue();
            };
            notes.add("position " + where
                    + " is kept; Nexus inserts the entry with the other lore (no such position yet)");
        }
        List<String> lines = new ArrayList<>();
        if (entry.extensions().get("nexus/entry") instanceof java.util.Map<?, ?> bookkeeping
                && bookkeeping.get("decorators") instanceof List<?> decorators) {
            decorators.forEach(d -> lines.add(String.valueOf(d)));
        }
        for (String line : entry.content().split("\n", -1)) {
            if (!line.startsWith("@@")) {
                break;
            }
            lines.add(line);
        }
        for (String line : lines) {
            String name =
                    line.strip().replaceFirst("^@@@?", "").split("\\s", 2)[0].toLowerCase(java.util.Locale.ROOT);
            if (KEPT_DECORATORS.contains(name)) {
                notes.add("decorator @@" + name + " is kept; it has no Nexus meaning yet");
            }
        }
        return notes;
    }

    private static String cap(String text) {
        return dev.nexus.host.InvalidInputException.cap(text);
    }
}
