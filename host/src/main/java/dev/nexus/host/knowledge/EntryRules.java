package dev.nexus.host.knowledge;

import dev.nexus.api.knowledge.LoreEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The World Info settings of one lore entry, read from the entry's extensions (SillyTavern's V2 card
 * names such as {@code exclude_recursion}, or its World Info names such as {@code excludeRecursion})
 * and from its decorators ({@code @@activate}, … lines at the start of the content, or kept aside by a
 * V3 import). Values are read leniently: {@code "true"}, {@code 1} and {@code "1"} are true, numeric
 * strings are numbers; each such reading and each setting Nexus keeps without a meaning yet is
 * described in {@link #notes()}. Immutable.
 *
 * @param probability chance in percent that an activated entry is inserted (100 = always)
 * @param useProbability whether {@code probability} applies
 * @param groups the inclusion groups (a comma-separated {@code group}), empty for none
 * @param groupOverride whether the entry wins its groups by order instead of by weight
 * @param groupWeight the entry's weight in a random group draw (default 100)
 * @param groupScoring whether the group keeps only its members with the most key matches; empty = book default
 * @param excludeRecursion whether other entries' content cannot activate this entry
 * @param preventRecursion whether this entry's content cannot activate others
 * @param delayUntilRecursion 0, or the recursion level from which this entry may activate (true = 1)
 * @param scanDepth messages scanned for this entry; empty = the book's or the host's default; 0 = none
 * @param sticky messages the entry stays active for after activating (0 = none)
 * @param cooldown messages the entry cannot activate for after activating or after its sticky ends
 * @param delay messages the chat must hold before the entry can activate
 * @param triggers generation types the entry may activate for; empty = all
 * @param ignoreBudget whether the entry is inserted even when the budget is spent
 * @param sources additional texts scanned for this entry ({@code description}, {@code personality},
 *     {@code scenario}, {@code depth_prompt}, {@code creator_notes}, {@code persona})
 * @param decorators the decorators that apply, by name without {@code @@}, with their argument
 * @param text the content without decorator lines
 * @param notes what was read leniently, and settings kept without a Nexus meaning
 */
record EntryRules(
        int probability,
        boolean useProbability,
        List<String> groups,
        boolean groupOverride,
        int groupWeight,
        Optional<Boolean> groupScoring,
        boolean excludeRecursion,
        boolean preventRecursion,
        int delayUntilRecursion,
        OptionalInt scanDepth,
        int sticky,
        int cooldown,
        int delay,
        List<String> triggers,
        boolean ignoreBudget,
        List<String> sources,
        Map<String, String> decorators,
        String text,
        List<String> notes) {

    /** The decorators of Character Card V3 (without {@code @@}). */
    static final List<String> V3_DECORATORS = List.of(
            "activate_only_after",
            "activate_only_every",
            "keep_activate_after_match",
            "dont_activate_after_match",
            "depth",
            "instruct_depth",
            "reverse_depth",
            "reverse_instruct_depth",
            "role",
            "scan_depth",
            "instruct_scan_depth",
            "is_greeting",
            "position",
            "ignore_on_max_context",
            "additional_keys",
            "exclude_keys",
            "is_user_icon",
            "dont_activate",
            "activate",
            "disable_ui_prompt");

    /** Decorators that change activation here; the rest are kept and reported. */
    private static final List<String> ACTING = List.of(
            "activate",
            "dont_activate",
            "activate_only_after",
            "activate_only_every",
            "keep_activate_after_match",
            "dont_activate_after_match",
            "scan_depth",
            "is_greeting",
            "ignore_on_max_context",
            "additional_keys",
            "exclude_keys");

    /** Extension name (V2 card spelling) of each additional scan source, with its World Info spelling. */
    private static final Map<String, String> SOURCES = Map.of(
            "match_character_description", "description",
            "match_character_personality", "personality",
            "match_scenario", "scenario",
            "match_character_depth_prompt", "depth_prompt",
            "match_creator_notes", "creator_notes",
            "match_persona_description", "persona");

    private static final List<String> GENERATION_TYPES =
            List.of("normal", "continue", "impersonate", "swipe", "regenerate", "quiet");

    /** The extensions key under which a card import keeps its bookkeeping for an entry. */
    private static final String BOOKKEEPING = "nexus/entry";

    /** Copies collections. */
    EntryRules {
        groups = List.copyOf(groups);
        triggers = List.copyOf(triggers);
        sources = List.copyOf(sources);
        decorators = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(decorators));
        notes = List.copyOf(notes);
    }

    /** Returns whether decorator {@code name} applies. */
    boolean has(String name) {
        return decorators.containsKey(name);
    }

    /** Returns decorator {@code name}'s whole-number argument, if it has a valid one. */
    OptionalInt number(String name) {
        String value = decorators.get(name);
        if (value == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** Returns decorator {@code name}'s comma-separated argument as a list. */
    List<String> list(String name) {
        String value = decorators.get(name);
        return value == null
                ? List.of()
                : Arrays.stream(value.split(","))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList();
    }

    /** Reads the rules of {@code entry}. */
    static EntryRules of(LoreEntry entry) {
        Reader read = new Reader(entry.extensions());
        int probability = Math.max(0, Math.min(100, read.integer(100, "probability")));
        boolean useProbability = read.bool(true, "useProbability", "use_probability");
        String group = read.text("group");
        List<String> groups = Arrays.stream(group.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
        boolean groupOverride = read.bool(false, "group_override", "groupOverride");
        int groupWeight = Math.max(0, read.integer(100, "group_weight", "groupWeight"));
        Optional<Boolean> groupScoring = read.optionalBool("use_group_scoring", "useGroupScoring");
        boolean excludeRecursion = read.bool(false, "exclude_recursion", "excludeRecursion");
        boolean preventRecursion = read.bool(false, "prevent_recursion", "preventRecursion");
        int delayUntilRecursion = read.level("delay_until_recursion", "delayUntilRecursion");
        OptionalInt scanDepth = read.optionalInteger("scan_depth", "scanDepth");
        int sticky = Math.max(0, read.integer(0, "sticky"));
        int cooldown = Math.max(0, read.integer(0, "cooldown"));
        int delay = Math.max(0, read.integer(0, "delay"));
        boolean ignoreBudget = read.bool(false, "ignore_budget", "ignoreBudget");
        List<String> triggers = read.strings("triggers").stream()
                .map(t -> t.strip().toLowerCase(Locale.ROOT))
                .filter(t -> !t.isEmpty())
                .toList();
        for (String trigger : triggers) {
            if (!GENERATION_TYPES.contains(trigger)) {
                read.notes.add("trigger '" + trigger + "' is no generation type (" + String.join(", ", GENERATION_TYPES)
                        + "); it never matches");
            }
        }
        List<String> sources = new ArrayList<>();
        SOURCES.forEach((v2, source) -> {
            if (read.bool(false, v2, camel(v2))) {
                sources.add(source);
            }
        });
        sources.sort(null);
        if (sources.contains("persona")) {
            read.notes.add("match_persona_description is kept; Nexus has no user persona description to scan yet");
        }

        Decorated decorated = decorators(entry);
        Map<String, String> decorators = decorated.decorators();
        for (String name : decorators.keySet()) {
            if (!ACTING.contains(name)) {
                read.notes.add("decorator @@" + name + " is kept; it has no Nexus meaning yet");
            }
        }
        decorated
                .unknown()
                .forEach(line ->
                        read.notes.add("decorator " + line + " is not known and has no fallback; it is ignored"));
        if (decorators.containsKey("scan_depth")) {
            try {
                scanDepth = OptionalInt.of(
                        Integer.parseInt(decorators.get("scan_depth").strip()));
            } catch (NumberFormatException e) {
                read.notes.add("decorator @@scan_depth needs a whole number; it is ignored");
            }
        }
        Object position = entry.extensions().get("position");
        if (position instanceof Number n && n.intValue() >= 2) {
            String name = switch (n.intValue()) {
                case 2 -> "top of Author's Note";
                case 3 -> "bottom of Author's Note";
                case 4 ->
                    "@depth " + read.integer(4, "depth") + " as "
                            + role(entry.extensions().get("role"));
                case 5 -> "top of example messages";
                case 6 -> "bottom of example messages";
                case 7 -> "outlet '" + read.text("outlet_name", "outletName") + "'";
                default -> "position " + n.intValue();
            };
            read.notes.add("position " + name + " is kept; Nexus inserts the entry with the other lore");
        }
        if (!read.text("automation_id", "automationId").isEmpty()) {
            read.notes.add("automation_id is kept; Nexus has no Quick Reply automations");
        }
        if (read.bool(false, "vectorized")) {
            read.notes.add("vectorized is kept; the entry activates by its keys");
        }
        return new EntryRules(
                probability,
                useProbability,
                groups,
                groupOverride,
                groupWeight,
                groupScoring,
                excludeRecursion,
                preventRecursion,
                delayUntilRecursion,
                scanDepth,
                sticky,
                cooldown,
                delay,
                triggers,
                ignoreBudget,
                sources,
                decorators,
                decorated.text(),
                read.notes);
    }

    private static String role(Object role) {
        return switch (role instanceof Number n ? n.intValue() : 0) {
            case 1 -> "user";
            case 2 -> "assistant";
            default -> "system";
        };
    }

    private static String camel(String snake) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    /** Decorators read from an entry, and its content without them. */
    record Decorated(Map<String, String> decorators, List<String> unknown, String text) {}

    /**
     * Reads the decorators kept aside by a V3 import and those written at the start of the content
     * (V2 cards and native packs write them there); a {@code @@@} line is the fallback of an unknown
     * decorator before it.
     */
    static Decorated decorators(LoreEntry entry) {
        List<String> lines = new ArrayList<>();
        if (entry.extensions().get(BOOKKEEPING) instanceof Map<?, ?> bookkeeping
                && bookkeeping.get("decorators") instanceof List<?> kept) {
            kept.forEach(line -> lines.add(String.valueOf(line)));
        }
        String text = entry.content();
        while (text.startsWith("@@")) {
            int newline = text.indexOf('\n');
            lines.add(newline < 0 ? text : text.substring(0, newline));
            text = newline < 0 ? "" : text.substring(newline + 1);
        }
        Map<String, String> decorators = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        boolean lastUnknown = false;
        String lastLine = "";
        for (String raw : lines) {
            String line = raw.strip();
            boolean fallback = line.startsWith("@@@");
            if (fallback && !lastUnknown) {
                continue;
            }
            String body = line.substring(fallback ? 3 : 2);
            int space = body.indexOf(' ');
            String name = (space < 0 ? body : body.substring(0, space)).toLowerCase(Locale.ROOT);
            String argument = space < 0 ? "" : body.substring(space + 1).strip();
            if (V3_DECORATORS.contains(name)) {
                decorators.putIfAbsent(name, argument);
                if (fallback) {
                    unknown.remove(lastLine);
                }
                lastUnknown = false;
            } else {
                if (!fallback) {
                    unknown.add(line);
                    lastLine = line;
                }
                lastUnknown = true;
            }
        }
        return new Decorated(decorators, unknown, text);
    }

    /** Reads settings leniently, noting what it had to interpret. */
    private static final class Reader {

        private final Map<String, Object> extensions;
        final List<String> notes = new ArrayList<>();

        Reader(Map<String, Object> extensions) {
            this.extensions = extensions;
        }

        private Optional<Map.Entry<String, Object>> find(String... names) {
            for (String name : names) {
                if (extensions.containsKey(name) && extensions.get(name) != null) {
                    return Optional.of(Map.entry(name, extensions.get(name)));
                }
            }
            return Optional.empty();
        }

        Optional<Boolean> optionalBool(String... names) {
            return find(names).flatMap(found -> switch (found.getValue()) {
                case Boolean b -> Optional.of(b);
                case Number n -> {
                    notes.add(found.getKey() + " is the number " + n + "; read as " + (n.doubleValue() != 0));
                    yield Optional.of(n.doubleValue() != 0);
                }
                case String s
                when s.strip().equalsIgnoreCase("true") || s.strip().equals("1") -> {
                    notes.add(found.getKey() + " is the text \"" + s + "\"; read as true");
                    yield Optional.of(true);
                }
                case String s
                when s.strip().equalsIgnoreCase("false") || s.strip().equals("0") || s.isBlank() -> {
                    notes.add(found.getKey() + " is the text \"" + s + "\"; read as false");
                    yield Optional.of(false);
                }
                default -> {
                    notes.add(found.getKey() + " should be true or false but is " + describe(found.getValue())
                            + "; ignored");
                    yield Optional.empty();
                }
            });
        }

        boolean bool(boolean fallback, String... names) {
            return optionalBool(names).orElse(fallback);
        }

        OptionalInt optionalInteger(String... names) {
            Optional<Map.Entry<String, Object>> found = find(names);
            if (found.isEmpty()) {
                return OptionalInt.empty();
            }
            Object value = found.get().getValue();
            if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
                return OptionalInt.of((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, n.longValue())));
            }
            if (value instanceof String s) {
                try {
                    int parsed = Integer.parseInt(s.strip());
                    notes.add(found.get().getKey() + " is the text \"" + s + "\"; read as " + parsed);
                    return OptionalInt.of(parsed);
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
            notes.add(found.get().getKey() + " should be a whole number but is " + describe(value) + "; ignored");
            return OptionalInt.empty();
        }

        int integer(int fallback, String... names) {
            return optionalInteger(names).orElse(fallback);
        }

        /** A recursion level: true is 1, false or null 0, a number itself. */
        int level(String... names) {
            Optional<Map.Entry<String, Object>> found = find(names);
            if (found.isEmpty()) {
                return 0;
            }
            if (found.get().getValue() instanceof Number) {
                return Math.max(0, optionalInteger(names).orElse(0));
            }
            return optionalBool(names).orElse(false) ? 1 : 0;
        }

        String text(String... names) {
            return find(names)
                    .map(found -> found.getValue() instanceof String s ? s : String.valueOf(found.getValue()))
                    .orElse("");
        }

        List<String> strings(String... names) {
            return find(names)
                    .map(found -> found.getValue() instanceof List<?> list
                            ? list.stream()
                                    .filter(java.util.Objects::nonNull)
                                    .map(String::valueOf)
                                    .toList()
                            : found.getValue() instanceof String s
                                    ? Arrays.stream(s.split(",")).toList()
                                    : List.<String>of())
                    .orElse(List.of());
        }

        private static String describe(Object value) {
            String text = String.valueOf(value);
            return (value instanceof String ? "\"" + text + "\"" : text).length() > 40
                    ? text.substring(0, 40) + "…"
                    : text;
        }
    }
}
