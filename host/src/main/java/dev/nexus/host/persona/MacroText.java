package dev.nexus.host.persona;

import java.util.Locale;
import java.util.Optional;

/**
 * The one scanner of macros in personality text, shared by import (which normalises spellings) and
 * prompt assembly (which expands them). It finds {@code {{name}}} and {@code {{name:argument}}} (also
 * {@code {{name::argument}}}, SillyTavern's newer separator), and the legacy {@code <BOT>} and
 * {@code <USER>} in any case, and asks a {@link Resolver} what to put in their place. A hand-written
 * scan, one pass, no copy when nothing changes: the persona section is rendered on every turn and
 * card descriptions run to tens of kilobytes. Stateless.
 */
public final class MacroText {

    /** The longest {@code {{ ... }}} macro looked at, braces included (a long {@code {{random:…}}} list fits). */
    static final int MAX_MACRO = 1_000;

    /**
     * Decides what replaces one macro.
     */
    @FunctionalInterface
    public interface Resolver {

        /**
         * Returns the replacement of a macro, or empty to leave it as written.
         *
         * @param name the macro's name, stripped and in lower case; {@code <bot>} and {@code <user>} for the
         *     legacy forms, {@code //} for a comment
         * @param argument what follows the first {@code :} or {@code ::}, stripped; empty when none
         * @param raw the macro exactly as written
         */
        Optional<String> resolve(String name, String argument, String raw);
    }

    private MacroText() {}

    /** Returns {@code text} with every macro {@code resolver} resolves replaced; {@code text} itself when none is. */
    public static String replace(String text, Resolver resolver) {
        StringBuilder out = null;
        int copied = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c != '{' && c != '<') {
                continue;
            }
            int end;
            String name;
            String argument = "";
            if (c == '<') {
                if (text.regionMatches(true, i, "<bot>", 0, 5)) {
                    end = i + 5;
                    name = "<bot>";
                } else if (text.regionMatches(true, i, "<user>", 0, 6)) {
                    end = i + 6;
                    name = "<user>";
                } else {
                    continue;
                }
            } else {
                if (i + 1 >= length || text.charAt(i + 1) != '{') {
                    continue;
                }
                int close = text.indexOf("}}", i + 2);
                if (close < 0) {
                    break;
                }
                // "{{{char}}}": the macro is the innermost pair, so skip a third opening brace.
                if (text.charAt(i + 2) == '{') {
                    continue;
                }
                if (close + 2 - i > MAX_MACRO) {
                    continue;
                }
                String inside = text.substring(i + 2, close);
                if (inside.indexOf('{') >= 0) {
                    continue;
                }
                end = close + 2;
                String stripped = inside.strip();
                if (stripped.startsWith("//")) {
                    name = "//";
                    argument = stripped.substring(2).strip();
                } else {
                    int colon = stripped.indexOf(':');
                    if (colon < 0) {
                        name = stripped.toLowerCase(Locale.ROOT);
                    } else {
                        name = stripped.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                        String rest = stripped.substring(colon + 1);
                        argument = (rest.startsWith(":") ? rest.substring(1) : rest).strip();
                    }
                }
            }
            String raw = text.substring(i, end);
            Optional<String> replacement = resolver.resolve(name, argument, raw);
            if (replacement.isEmpty() || replacement.get().equals(raw)) {
                if (c == '{') {
                    i = end - 1;
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(length + 64);
            }
            out.append(text, copied, i).append(replacement.get());
            copied = end;
            i = end - 1;
        }
        if (out == null) {
            return text;
        }
        return out.append(text, copied, length).toString();
    }

    /** Returns whether {@code name} is an ElizaOS numbered speaker ({@code user1}, {@code name2}): the user here. */
    public static boolean numberedSpeaker(String name) {
        return (name.startsWith("user") || name.startsWith("name"))
                && name.length() > 4
                && name.substring(4).chars().allMatch(Character::isDigit);
    }

    /** Returns whether {@code text} still holds anything that looks like a macro: {@code {{…}}}, {@code <BOT>} or {@code <USER>}. */
    public static boolean hasMacro(String text) {
        boolean[] found = {false};
        replace(text, (name, argument, raw) -> {
            found[0] = true;
            return Optional.empty();
        });
        return found[0];
    }
}
