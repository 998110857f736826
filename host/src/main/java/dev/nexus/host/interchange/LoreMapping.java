package dev.nexus.host.interchange;

import dev.nexus.api.knowledge.LoreEntry;
import dev.nexus.api.knowledge.LoreEntry.SelectiveLogic;
import dev.nexus.host.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Maps Character Card lorebook entries (V2 and V3) to {@link LoreEntry} and back.
 *
 * <p>Entry-level {@code extensions} become the entry's extensions untouched. Interchange's own
 * bookkeeping for the entry (original spellings, unknown entry fields, V3 decorators, an enabled
 * entry without keys) sits beside them under {@value #BOOKKEEPING} and is removed on export. SillyTavern's
 * {@code extensions.selectiveLogic} and {@code extensions.match_whole_words} are read into
 * {@code logic} and {@code wholeWords}; they are only rewritten when the native value changed.
 * Stateless.
 */
final class LoreMapping {

    /** The entry-extensions key holding interchange's bookkeeping for the entry. */
    static final String BOOKKEEPING = "nexus/entry";

    private static final Set<String> KNOWN = Set.of(
            "keys",
            "content",
            "extensions",
            "enabled",
            "insertion_order",
            "case_sensitive",
            "name",
            "priority",
            "id",
            "selective",
            "secondary_keys",
            "constant",
            "position",
            "use_regex");
    private static final String EXT_LOGIC = "extensions.selectiveLogic";
    private static final String EXT_WHOLE_WORDS = "extensions.match_whole_words";
    private static final Pattern DECORATOR = Pattern.compile("^@@.*");
    private static final Pattern INTEGER = Pattern.compile("-?[1-9][0-9]{0,17}|0");
    private static final int DEFAULT_ORDER = 100;
    private static final int DEFAULT_PRIORITY = 10;

    private LoreMapping() {}

    /** Reads the entries of a card's or a V3 lorebook's {@code entries} array. */
    static List<LoreEntry> readEntries(JsonObject book, boolean v3, InterchangeLimits limits, List<String> warnings) {
        List<Object> entries = book.array("entries").orElse(List.of());
        if (entries.size() > limits.maxLoreEntries()) {
            throw new InvalidInputException("'" + book.path("entries") + "' has " + entries.size()
                    + " entries, more than the limit of " + limits.maxLoreEntries()
                    + "; split the lorebook or raise interchange.max-lore-entries");
        }
        List<LoreEntry> out = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            out.add(read(JsonObject.element(entries, i, book.path("entries")), v3, warnings));
        }
        return out;
    }

    /** Reads one card lorebook entry. */
    static LoreEntry read(JsonObject entry, boolean v3, List<String> warnings) {
        Originals originals = new Originals();
        Map<String, Object> extensions =
                entry.object("extensions").map(JsonObject::map).orElse(Map.of());
        if (extensions.containsKey(BOOKKEEPING)) {
            throw new InvalidInputException("'" + entry.path("extensions") + "' uses the reserved key '" + BOOKKEEPING
                    + "'; rename that extension and import again");
        }
        Map<String, Object> unknown = entry.unknown(KNOWN);

        List<String> keys = entry.strings("keys").orElse(List.of());
        originals.remember("keys", entry.raw("keys"), keys);
        List<String> secondaryKeys = entry.strings("secondary_keys").orElse(List.of());
        originals.remember("secondary_keys", entry.raw("secondary_keys"), secondaryKeys);

        String rawContent = entry.text("content");
        checkLength(rawContent, entry.path("content"));
        List<String> decorators = v3 ? decorators(rawContent) : List.of();
        String content = Macros.card(stripDecorators(rawContent, decorators.size()));
        originals.remember("content", entry.raw("content"), withDecorators(content, decorators));

        boolean enabled = entry.lenientBool("enabled", warnings).orElse(true);
        originals.remember("enabled", entry.raw("enabled"), enabled);
        int order = entry.lenientInteger("insertion_order", warnings).orElse(DEFAULT_ORDER);
        originals.remember("insertion_order", entry.raw("insertion_order"), order);
        boolean caseSensitive =
                entry.lenientBool("case_sensitive", warnings).orElseGet(() -> extensionCaseSensitive(extensions));
        originals.remember("case_sensitive", entry.raw("case_sensitive"), caseSensitive);
        String comment = unknown.get("comment") instanceof String c ? c : "";
        if (unknown.containsKey("comment")
                && unknown.get("comment") != null
                && !(unknown.get("comment") instanceof String)) {
            throw JsonObject.wrongType(entry.path("comment"), "a string", unknown.get("comment"));
        }
        String name = entry.string("name").orElse(comment);
        originals.remember("name", entry.raw("name"), name);
        int priority = entry.lenientInteger("priority", warnings).orElse(DEFAULT_PRIORITY);
        originals.remember("priority", entry.raw("priority"), priority);
        String id = id(entry);
        originals.remember("id", entry.raw("id"), idValue(id));
        boolean selective = entry.lenientBool("selective", warnings).orElse(false);
        originals.remember("selective", entry.raw("selective"), selective);
        boolean constant = entry.lenientBool("constant", warnings).orElse(false);
        originals.remember("constant", entry.raw("constant"), constant);
        String position = entry.string("position").filter(p -> !p.isBlank()).orElse("before_char");
        originals.remember("position", entry.raw("position"), position);
        boolean useRegex = entry.lenientBool("use_regex", warnings).orElse(false);
        originals.remember("use_regex", entry.raw("use_regex"), useRegex);
        SelectiveLogic logic = logic(extensions, unknown, entry.path("extensions"));
        originals.remember(EXT_LOGIC, raw(extensions, "selectiveLogic"), logicValue(logic, unknown));
        boolean wholeWords = extensionWholeWords(extensions, entry.path("extensions"));
        originals.remember(
                EXT_WHOLE_WORDS, raw(extensions, "match_whole_words"), wholeWords ? Boolean.TRUE : JsonObject.ABSENT);

        boolean keylessEnabled = enabled && !constant && keys.isEmpty();
        // A keyless entry that @@activate switches on is not dead: it is kept enabled as a constant entry
        // (the decorator decides, docs/world-info.md) and exported with its own constant value again.
        boolean activateConstant = keylessEnabled
                && (decorators.contains("@@activate")
                        || rawContent.startsWith("@@activate\n")
                        || rawContent.equals("@@activate"));
        if (activateConstant) {
            constant = true;
            keylessEnabled = false;
        }
        if (keylessEnabled) {
            warnings.add("lore entry " + entry.path()
                    + (name.isEmpty() ? "" : " ('" + InvalidInputException.cap(name) + "')")
                    + " is enabled but has no keys, so nothing can activate it here; it was imported disabled"
                    + " and is exported enabled again");
            enabled = false;
        }

        LinkedHashMap<String, Object> bookkeeping = new LinkedHashMap<>();
        if (!originals.isEmpty()) {
            bookkeeping.put("originals", originals.toMap());
        }
        if (!unknown.isEmpty()) {
            bookkeeping.put("unknown", unknown);
        }
        if (!decorators.isEmpty()) {
            bookkeeping.put("decorators", decorators);
        }
        if (keylessEnabled) {
            bookkeeping.put("keylessEnabled", true);
        }
        if (activateConstant) {
            bookkeeping.put("activateConstant", true);
        }
        LinkedHashMap<String, Object> allExtensions = new LinkedHashMap<>(extensions);
        // Modelled as logic and wholeWords; their spelling is in the originals.
        allExtensions.remove("selectiveLogic");
        allExtensions.remove("match_whole_words");
        if (!bookkeeping.isEmpty()) {
            allExtensions.put(BOOKKEEPING, Collections.unmodifiableMap(bookkeeping));
        }
        return new LoreEntry(
                id,
                name,
                keys,
                secondaryKeys,
                selective,
                logic,
                content,
                constant,
                enabled,
                order,
                priority,
                caseSensitive,
                wholeWords,
                useRegex,
                position,
                allExtensions);
    }

    /**
     * Writes one entry as a card lorebook entry. {@code v3} writes the V3 shape ({@code use_regex}
     * required, decorators kept); otherwise V2, with decorators removed as the V3 spec asks of a V2
     * back-fill.
     */
    static Map<String, Object> write(LoreEntry entry, boolean v3) {
        Map<String, Object> bookkeeping =
                entry.extensions().get(BOOKKEEPING) instanceof Map<?, ?> m ? castMap(m) : Map.of();
        Originals originals = Originals.fromMap(bookkeeping.get("originals"));
        Map<String, Object> unknown = bookkeeping.get("unknown") instanceof Map<?, ?> u ? castMap(u) : Map.of();
        List<String> decorators = v3 && bookkeeping.get("decorators") instanceof List<?> d
                ? d.stream().map(String::valueOf).toList()
                : List.of();
        boolean keylessEnabled = Boolean.TRUE.equals(bookkeeping.get("keylessEnabled"))
                && entry.keys().isEmpty()
                && !entry.constant();
        boolean activateConstant = Boolean.TRUE.equals(bookkeeping.get("activateConstant"))
                && entry.keys().isEmpty()
                && entry.constant();

        LinkedHashMap<String, Object> extensions = new LinkedHashMap<>(entry.extensions());
        extensions.remove(BOOKKEEPING);
        put(
                extensions,
                "selectiveLogic",
                originals.restore(
                        EXT_LOGIC,
                        entry.logic(),
                        raw -> logicOrDefault(raw == JsonObject.ABSENT ? unknown.get("selectiveLogic") : raw),
                        logicValue(entry.logic(), unknown),
                        false));
        put(
                extensions,
                "match_whole_words",
                originals.restore(
                        EXT_WHOLE_WORDS,
                        entry.wholeWords(),
                        raw -> Boolean.TRUE.equals(raw),
                        entry.wholeWords() ? Boolean.TRUE : JsonObject.ABSENT,
                        false));
        String comment = unknown.get("comment") instanceof String c ? c : "";
        boolean enabled = entry.enabled() || keylessEnabled;

        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        put(out, "keys", originals.restore("keys", entry.keys(), raw -> strings(raw), entry.keys(), true));
        put(
                out,
                "content",
                originals.restore(
                        "content",
                        entry.content(),
                        raw -> Macros.card(stripDecorators(text(raw), decorators.size())),
                        withDecorators(entry.content(), decorators),
                        true));
        out.put("extensions", Collections.unmodifiableMap(extensions));
        put(
                out,
                "enabled",
                originals.restore(
                        "enabled",
                        enabled,
                        raw -> raw == JsonObject.ABSENT || raw == null ? Boolean.TRUE : LoreMapping.truthy(raw),
                        enabled,
                        true));
        put(
                out,
                "insertion_order",
                originals.restore(
                        "insertion_order",
                        entry.insertionOrder(),
                        raw -> raw instanceof Number n ? JsonObject.toInt(n) : wholeText(raw, DEFAULT_ORDER),
                        entry.insertionOrder(),
                        true));
        put(
                out,
                "case_sensitive",
                originals.restore(
                        "case_sensitive",
                        entry.caseSensitive(),
                        raw -> raw == JsonObject.ABSENT || raw == null
                                ? extensionCaseSensitive(extensions)
                                : LoreMapping.truthy(raw),
                        entry.caseSensitive(),
                        false));
        put(
                out,
                "name",
                originals.restore(
                        "name", entry.name(), raw -> raw instanceof String s ? s : comment, entry.name(), false));
        put(
                out,
                "priority",
                originals.restore(
                        "priority",
                        entry.priority(),
                        raw -> raw instanceof Number n ? JsonObject.toInt(n) : wholeText(raw, DEFAULT_PRIORITY),
                        entry.priority(),
                        false));
        put(out, "id", originals.restore("id", entry.id(), LoreMapping::idText, idValue(entry.id()), false));
        put(
                out,
                "selective",
                originals.restore(
                        "selective", entry.selective(), raw -> LoreMapping.truthy(raw), entry.selective(), false));
        put(
                out,
                "secondary_keys",
                originals.restore(
                        "secondary_keys", entry.secondaryKeys(), raw -> strings(raw), entry.secondaryKeys(), false));
        boolean constant = entry.constant() && !activateConstant;
        put(out, "constant", originals.restore("constant", constant, raw -> LoreMapping.truthy(raw), constant, false));
        put(
                out,
                "position",
                originals.restore(
                        "position",
                        entry.position(),
                        raw -> raw instanceof String s && !s.isBlank() ? s : "before_char",
                        entry.position(),
                        false));
        put(
                out,
                "use_regex",
                originals.restore("use_regex", entry.useRegex(), raw -> LoreMapping.truthy(raw), entry.useRegex(), v3));
        unknown.forEach(out::putIfAbsent);
        return Collections.unmodifiableMap(out);
    }

    /** Refuses content over the one lore entry limit, naming the entry. */
    static void checkLength(String content, String path) {
        int max = dev.nexus.host.persona.LoreCheck.MAX_CONTENT_CHARS;
        if (content.length() > max) {
            throw new InvalidInputException(
                    "'" + path + "' has " + content.length() + " characters, more than the lore entry" + " limit of "
                            + max + "; split the entry (long entries within the limit activate, cut to the budget)");
        }
    }

    /** The native value of a boolean an editor may have written as text or a number (see {@link JsonObject#lenientBool}). */
    static boolean truthy(Object raw) {
        return switch (raw) {
            case Boolean b -> b;
            case Number n -> n.doubleValue() == 1;
            case String s -> s.strip().equalsIgnoreCase("true") || s.strip().equals("1");
            case null, default -> false;
        };
    }

    private static int wholeText(Object raw, int fallback) {
        return raw instanceof String s && s.strip().matches("-?[0-9]{1,9}") ? Integer.parseInt(s.strip()) : fallback;
    }

    private static void put(Map<String, Object> out, String key, Object value) {
        if (value != JsonObject.ABSENT) {
            out.put(key, value);
        }
    }

    /** The decorator lines ({@code @@…}) at the start of V3 entry content. */
    static List<String> decorators(String content) {
        if (!content.startsWith("@@")) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (String line : content.split("\n", -1)) {
            if (!DECORATOR.matcher(line).matches()) {
                break;
            }
            lines.add(line);
        }
        return List.copyOf(lines);
    }

    private static String stripDecorators(String content, int lines) {
        String rest = content;
        for (int i = 0; i < lines; i++) {
            int newline = rest.indexOf('\n');
            rest = newline < 0 ? "" : rest.substring(newline + 1);
        }
        return rest;
    }

    private static String withDecorators(String content, List<String> decorators) {
        return decorators.isEmpty() ? content : String.join("\n", decorators) + "\n" + content;
    }

    private static String id(JsonObject entry) {
        Object raw = entry.raw("id");
        return switch (raw) {
            case null -> "";
            case String s -> s;
            case Number n -> idText(n);
            default -> {
                if (raw == JsonObject.ABSENT) {
                    yield "";
                }
                throw JsonObject.wrongType(entry.path("id"), "a number or a string", raw);
            }
        };
    }

    private static String idText(Object raw) {
        if (raw instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(n.longValue()) : n.toString();
        }
        return raw instanceof String s ? s : "";
    }

    /** The JSON value for a native id: integers as numbers, other text as strings, empty as absent. */
    private static Object idValue(String id) {
        if (id.isEmpty()) {
            return JsonObject.ABSENT;
        }
        if (INTEGER.matcher(id).matches()) {
            long value = Long.parseLong(id);
            return value == (int) value ? (Object) (int) value : (Object) value;
        }
        return id;
    }

    private static boolean extensionCaseSensitive(Map<String, Object> extensions) {
        return Boolean.TRUE.equals(extensions.get("case_sensitive"));
    }

    private static boolean extensionWholeWords(Map<String, Object> extensions, String path) {
        Object value = extensions.get("match_whole_words");
        if (value != null && !(value instanceof Boolean)) {
            throw JsonObject.wrongType(path + ".match_whole_words", "true, false or null", value);
        }
        return Boolean.TRUE.equals(value);
    }

    private static Object raw(Map<String, Object> map, String key) {
        return map.containsKey(key) ? map.get(key) : JsonObject.ABSENT;
    }

    /** The canonical {@code extensions.selectiveLogic}: absent when the default (or the root value) says it. */
    private static Object logicValue(SelectiveLogic logic, Map<String, Object> unknown) {
        return logic == logicOrDefault(unknown.get("selectiveLogic")) ? JsonObject.ABSENT : (Object) logic.ordinal();
    }

    private static SelectiveLogic logic(Map<String, Object> extensions, Map<String, Object> unknown, String path) {
        Object value = extensions.containsKey("selectiveLogic")
                ? extensions.get("selectiveLogic")
                : unknown.get("selectiveLogic");
        String where = extensions.containsKey("selectiveLogic") ? path + ".selectiveLogic" : "selectiveLogic";
        return logicOf(value, where);
    }

    static SelectiveLogic logicOf(Object value, String path) {
        if (value == null) {
            return SelectiveLogic.AND_ANY;
        }
        if (value instanceof Number n
                && n.doubleValue() == Math.rint(n.doubleValue())
                && n.intValue() >= 0
                && n.intValue() < SelectiveLogic.values().length) {
            return SelectiveLogic.values()[n.intValue()];
        }
        throw new InvalidInputException(
                "'" + path + "' must be 0 (AND ANY), 1 (NOT ALL), 2 (NOT ANY) or 3 (AND ALL) but is "
                        + JsonObject.describe(value) + "; fix the entry's secondary-key logic and import again");
    }

    private static SelectiveLogic logicOrDefault(Object raw) {
        try {
            return logicOf(raw, "selectiveLogic");
        } catch (InvalidInputException e) {
            return SelectiveLogic.AND_ANY;
        }
    }

    private static List<String> strings(Object raw) {
        return raw instanceof List<?> list ? JsonObject.strings(list, "keys") : List.of();
    }

    private static String text(Object raw) {
        return raw instanceof String s ? s : "";
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    /** Returns whether any key is written {@code /pattern/flags}, the way SillyTavern marks a regex key. */
    static boolean looksLikeRegex(List<String> keys) {
        return keys.stream()
                .anyMatch(key -> key.length() > 2
                        && key.startsWith("/")
                        && key.lastIndexOf('/') > 0
                        && key.substring(key.lastIndexOf('/') + 1).matches("[dgimsuvy]*"));
    }
}
