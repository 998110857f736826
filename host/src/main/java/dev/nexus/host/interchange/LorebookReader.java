package dev.nexus.host.interchange;

import dev.nexus.api.knowledge.LoreEntry;
import dev.nexus.api.knowledge.LoreEntry.SelectiveLogic;
import dev.nexus.host.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads standalone lorebooks: V3 {@code lorebook_v3} files and SillyTavern World Info files. World
 * Info entries are mapped the way SillyTavern maps them into a V2 card's {@code character_book}
 * (the reference's table): modelled fields into the native entry, every other field into the
 * entry's extensions under its V2 extension name. Stateless.
 */
final class LorebookReader {

    /** World Info field name to the V2 entry-extension name SillyTavern uses for it. */
    private static final Map<String, String> WI_EXTENSION_NAMES = Map.ofEntries(
            Map.entry("vectorized", "vectorized"),
            Map.entry("position", "position"),
            Map.entry("ignoreBudget", "ignore_budget"),
            Map.entry("excludeRecursion", "exclude_recursion"),
            Map.entry("preventRecursion", "prevent_recursion"),
            Map.entry("delayUntilRecursion", "delay_until_recursion"),
            Map.entry("matchPersonaDescription", "match_persona_description"),
            Map.entry("matchCharacterDescription", "match_character_description"),
            Map.entry("matchCharacterPersonality", "match_character_personality"),
            Map.entry("matchCharacterDepthPrompt", "match_character_depth_prompt"),
            Map.entry("matchScenario", "match_scenario"),
            Map.entry("matchCreatorNotes", "match_creator_notes"),
            Map.entry("probability", "probability"),
            Map.entry("useProbability", "useProbability"),
            Map.entry("depth", "depth"),
            Map.entry("group", "group"),
            Map.entry("groupOverride", "group_override"),
            Map.entry("groupWeight", "group_weight"),
            Map.entry("scanDepth", "scan_depth"),
            Map.entry("caseSensitive", "case_sensitive"),
            Map.entry("matchWholeWords", "match_whole_words"),
            Map.entry("useGroupScoring", "use_group_scoring"),
            Map.entry("automationId", "automation_id"),
            Map.entry("role", "role"),
            Map.entry("sticky", "sticky"),
            Map.entry("cooldown", "cooldown"),
            Map.entry("delay", "delay"),
            Map.entry("triggers", "triggers"),
            Map.entry("displayIndex", "display_index"),
            Map.entry("selectiveLogic", "selectiveLogic"));

    private static final Set<String> WI_MODELLED = Set.of(
            "uid",
            "key",
            "keysecondary",
            "comment",
            "content",
            "constant",
            "selective",
            "order",
            "disable",
            "extensions");

    private LorebookReader() {}

    /** Reads {@code {"spec": "lorebook_v3", "data": {...}}}. */
    static ImportedLorebook lorebookV3(JsonObject root, InterchangeLimits limits) {
        JsonObject data = root.object("data")
                .orElseThrow(() -> new InvalidInputException(
                        "lorebook_v3 file has no 'data' object; export the lorebook again from its editor"));
        List<String> warnings = new ArrayList<>();
        String name = data.text("name");
        String description = data.text("description");
        data.number("scan_depth");
        data.number("token_budget");
        data.bool("recursive_scanning");
        data.object("extensions");
        if (data.raw("entries") == JsonObject.ABSENT) {
            throw new InvalidInputException("'data.entries' is missing; a lorebook_v3 file needs an entries array");
        }
        List<LoreEntry> entries = LoreMapping.readEntries(data, true, limits, warnings);
        LinkedHashMap<String, Object> extensions =
                new LinkedHashMap<>(data.unknown(Set.of("name", "description", "entries")));
        extensions.putAll(root.unknown(Set.of("spec", "data")));
        return new ImportedLorebook(name, description, SourceFormat.LOREBOOK_V3, entries, extensions, warnings);
    }

    /** Reads {@code {"entries": {"<uid>": {...}}, ...}}. */
    static ImportedLorebook worldInfo(JsonObject root, String fallbackName, InterchangeLimits limits) {
        JsonObject entries = root.object("entries").orElseThrow();
        if (entries.map().size() > limits.maxLoreEntries()) {
            throw new InvalidInputException(
                    "World Info file has " + entries.map().size()
                            + " entries, more than the limit of " + limits.maxLoreEntries()
                            + "; split it or raise interchange.max-lore-entries");
        }
        List<String> warnings = new ArrayList<>();
        List<LoreEntry> out = new ArrayList<>();
        for (String uid : entries.map().keySet()) {
            JsonObject entry =
                    entries.object(uid).orElseThrow(() -> JsonObject.wrongType(entries.path(uid), "an object", null));
            out.add(worldInfoEntry(entry, uid, warnings));
        }
        String name = root.string("name").orElse(fallbackName);
        return new ImportedLorebook(
                name,
                root.text("description"),
                SourceFormat.WORLD_INFO,
                out,
                root.unknown(Set.of("entries", "name", "description")),
                warnings);
    }

    private static LoreEntry worldInfoEntry(JsonObject entry, String uidKey, List<String> warnings) {
        Object uid = entry.raw("uid");
        String id = switch (uid) {
            case null -> uidKey;
            case Number n -> Long.toString(n.longValue());
            case String s -> s;
            default -> {
                if (uid == JsonObject.ABSENT) {
                    yield uidKey;
                }
                throw JsonObject.wrongType(entry.path("uid"), "a number or a string", uid);
            }
        };
        List<String> keys = entry.strings("key").orElse(List.of());
        List<String> secondary = entry.strings("keysecondary").orElse(List.of());
        String name = entry.text("comment");
        LoreMapping.checkLength(entry.text("content"), entry.path("content"));
        String content = Macros.card(entry.text("content"));
        boolean constant = entry.lenientBool("constant", warnings).orElse(false);
        boolean selective = entry.lenientBool("selective", warnings).orElse(true);
        int order = entry.lenientInteger("order", warnings).orElse(100);
        boolean enabled = !entry.lenientBool("disable", warnings).orElse(false);
        SelectiveLogic logic = LoreMapping.logicOf(
                entry.raw("selectiveLogic") == JsonObject.ABSENT ? null : entry.raw("selectiveLogic"),
                entry.path("selectiveLogic"));
        Object position = entry.raw("position");
        if (position != null && position != JsonObject.ABSENT && !(position instanceof Number)) {
            throw JsonObject.wrongType(entry.path("position"), "a number (0-7)", position);
        }
        String nativePosition = position instanceof Number n && n.intValue() != 0 ? "after_char" : "before_char";
        boolean caseSensitive = entry.lenientBool("caseSensitive", warnings).orElse(false);
        boolean wholeWords = entry.lenientBool("matchWholeWords", warnings).orElse(false);

        LinkedHashMap<String, Object> extensions = new LinkedHashMap<>();
        entry.object("extensions").ifPresent(ext -> extensions.putAll(ext.map()));
        entry.map().forEach((key, value) -> {
            if (!WI_MODELLED.contains(key)) {
                extensions.put(WI_EXTENSION_NAMES.getOrDefault(key, key), value);
            }
        });
        if (enabled
                && !constant
                && keys.isEmpty()
                && (entry.text("content").startsWith("@@activate\n")
                        || entry.text("content").equals("@@activate"))) {
            // @@activate switches a keyless entry on: kept enabled, as a constant entry (docs/world-info.md).
            constant = true;
        } else if (enabled && !constant && keys.isEmpty()) {
            warnings.add("World Info entry '" + InvalidInputException.cap(name.isEmpty() ? id : name)
                    + "' is enabled but has no keys; it was imported disabled");
            enabled = false;
        }
        return new LoreEntry(
                id,
                name,
                keys,
                secondary,
                selective,
                logic,
                content,
                constant,
                enabled,
                order,
                10,
                caseSensitive,
                wholeWords,
                LoreMapping.looksLikeRegex(keys),
                nativePosition,
                extensions);
    }
}
