package dev.nexus.host.knowledge;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The book-level World Info settings of a pack or a personality's lore (a card's
 * {@code character_book} fields). Immutable.
 *
 * @param scanDepth messages scanned by the book's entries; empty = the host's {@code scan-depth}
 * @param tokenBudget the most tokens the book's entries may take; empty = only the turn's budget
 * @param recursiveScanning whether the content of activated entries is scanned for further keys
 *     (default true, SillyTavern's default)
 * @param groupScoring whether inclusion groups keep only their members with the most key matches,
 *     for entries that do not say (default false)
 */
record BookRules(OptionalInt scanDepth, OptionalInt tokenBudget, boolean recursiveScanning, boolean groupScoring) {

    /** The settings of a book that says nothing. */
    static final BookRules DEFAULTS = new BookRules(OptionalInt.empty(), OptionalInt.empty(), true, false);

    /** Reads {@code scan_depth}, {@code token_budget}, {@code recursive_scanning} and {@code use_group_scoring}. */
    static BookRules of(Map<String, Object> book, List<String> problems) {
        if (book.isEmpty()) {
            return DEFAULTS;
        }
        OptionalInt depth = whole(book.get("scan_depth"), "scan_depth", problems);
        OptionalInt budget = whole(book.get("token_budget"), "token_budget", problems);
        Object recursive = book.get("recursive_scanning");
        Object scoring = book.get("use_group_scoring") != null
                ? book.get("use_group_scoring")
                : book.get("extensions") instanceof Map<?, ?> ext ? ext.get("use_group_scoring") : null;
        return new BookRules(
                depth.isPresent() && depth.getAsInt() >= 0 ? depth : OptionalInt.empty(),
                budget.isPresent() && budget.getAsInt() > 0 ? budget : OptionalInt.empty(),
                recursive == null || truthy(recursive),
                scoring != null && truthy(scoring));
    }

    private static boolean truthy(Object value) {
        return switch (value) {
            case Boolean b -> b;
            case Number n -> n.doubleValue() != 0;
            case String s -> s.strip().equalsIgnoreCase("true") || s.strip().equals("1");
            default -> false;
        };
    }

    private static OptionalInt whole(Object value, String name, List<String> problems) {
        if (value == null) {
            return OptionalInt.empty();
        }
        if (value instanceof Number n) {
            return OptionalInt.of((int) Math.max(0, Math.min(Integer.MAX_VALUE, n.longValue())));
        }
        if (value instanceof String s) {
            try {
                int parsed = Integer.parseInt(s.strip());
                problems.add("book " + name + " is the text \"" + s + "\"; read as " + parsed);
                return OptionalInt.of(parsed);
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        problems.add("book " + name + " should be a whole number; ignored");
        return OptionalInt.empty();
    }
}
