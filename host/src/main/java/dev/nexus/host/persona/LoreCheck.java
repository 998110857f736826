package dev.nexus.host.persona;

import dev.nexus.api.knowledge.LoreEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Finds the lore entries that cannot activate as written: an empty key, a key that is not a valid
 * regular expression. Such an entry is still stored (an import keeps every byte) but the knowledge
 * feature skips the bad key at recall, and the entry too when no key is left; these problems are what
 * an import and {@code GET /v1/personalities/{id}} report as warnings. Stateless.
 */
public final class LoreCheck {

    private static final Pattern REGEX_FORM = Pattern.compile("^/(.+)/([a-z]*)$", Pattern.DOTALL);

    private LoreCheck() {
    }

    /** Returns one message per problem, naming the entry (index, id or name) and the key; empty when all is well. */
    public static List<String> problems(List<LoreEntry> lore) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lore.size(); i++) {
            LoreEntry entry = lore.get(i);
            String label = "lore[" + i + "]" + (entry.name().isBlank() ? entry.id().isBlank() ? "" : " '" + cap(entry.id()) + "'"
                    : " '" + cap(entry.name()) + "'");
            int usable = 0;
            for (String key : entry.keys()) {
                String problem = problem(key, entry.useRegex());
                if (problem.isEmpty()) {
                    usable++;
                } else {
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
        }
        return problems;
    }

    /** Returns what is wrong with one key, empty when it can be matched. */
    static String problem(String key, boolean useRegex) {
        if (key == null || key.isBlank()) {
            return "a key is empty and is skipped; remove it or give it text";
        }
        Matcher form = REGEX_FORM.matcher(key.strip());
        if (!form.matches() && !useRegex) {
            return "";
        }
        try {
            Pattern.compile(form.matches() ? form.group(1) : key);
            return "";
        } catch (PatternSyntaxException e) {
            return "key '" + cap(key) + "' is not a valid regular expression (" + e.getDescription()
                    + ") and is skipped; fix it or write it as plain text";
        }
    }

    private static String cap(String text) {
        return dev.nexus.host.InvalidInputException.cap(text);
    }
}
