package dev.nexus.host.interchange;

import dev.nexus.api.knowledge.LoreEntry;
import dev.nexus.host.persona.Personality;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Personality} as a Character Card V2 or V3 JSON tree, putting back everything
 * {@link CardReader} kept: unknown keys at every level, SillyTavern's root duplicates (refreshed from
 * the current values), V3-only fields (dropped from a V2 card, with a warning), book-level lorebook
 * fields and the original spelling of unchanged fields. Stateless.
 */
final class CardWriter {

    private CardWriter() {}

    /** Returns the card tree; {@code warnings} receives what the target format cannot carry. */
    static Map<String, Object> write(Personality p, boolean v3, List<String> warnings) {
        Map<String, Object> bookkeeping =
                p.extensions().get(CardReader.BOOKKEEPING) instanceof Map<?, ?> m ? LoreMapping.castMap(m) : Map.of();
        Originals originals = Originals.fromMap(bookkeeping.get("originals"));
        LinkedHashMap<String, Object> data = new LinkedHashMap<>();

        put(data, "name", originals.restore("name", p.name(), CardWriter::text, p.name(), true));
        promptText(data, originals, "description", p.description());
        promptText(data, originals, "personality", p.summary());
        promptText(data, originals, "scenario", p.scenario());
        String first = p.greetings().isEmpty() ? "" : p.greetings().getFirst();
        promptText(data, originals, "first_mes", first);
        put(
                data,
                "mes_example",
                originals.restore(
                        "mes_example",
                        p.examples(),
                        raw -> Examples.parse(Macros.card(text(raw)), p.name()),
                        Examples.render(p.examples()),
                        true));
        put(
                data,
                "creator_notes",
                originals.restore("creator_notes", p.creatorNotes(), CardWriter::text, p.creatorNotes(), true));
        promptText(data, originals, "system_prompt", p.systemPrompt());
        promptText(data, originals, "post_history_instructions", p.postHistoryInstructions());
        List<String> alternates = p.greetings().size() <= 1
                ? List.of()
                : p.greetings().subList(1, p.greetings().size());
        put(
                data,
                "alternate_greetings",
                originals.restore(
                        "alternate_greetings",
                        alternates,
                        raw -> strings(raw).stream().map(Macros::card).toList(),
                        List.copyOf(alternates),
                        true));
        book(p, v3, bookkeeping).ifPresent(book -> put(data, "character_book", book));
        put(data, "tags", originals.restore("tags", p.tags(), CardWriter::strings, p.tags(), true));
        put(data, "creator", originals.restore("creator", p.creator(), CardWriter::text, p.creator(), true));
        put(
                data,
                "character_version",
                originals.restore(
                        "character_version", p.characterVersion(), CardWriter::text, p.characterVersion(), true));
        data.put("extensions", extensions(p));

        Map<String, Object> v3Fields = bookkeeping.get("v3") instanceof Map<?, ?> v ? LoreMapping.castMap(v) : Map.of();
        if (v3) {
            data.putAll(v3Fields);
            data.putIfAbsent("group_only_greetings", List.of());
        } else {
            put(
                    data,
                    "group_only_greetings",
                    originals.restore("group_only_greetings", List.of(), raw -> raw, JsonObject.ABSENT, false));
            v3Fields.keySet()
                    .forEach(key -> warnings.add("V2 cards have no '" + key
                            + "'; it is left out of the V2 card (export ccv3, png or charx to keep it)"));
        }
        if (bookkeeping.get("data") instanceof Map<?, ?> unknown) {
            LoreMapping.castMap(unknown).forEach(data::putIfAbsent);
        }

        LinkedHashMap<String, Object> root = new LinkedHashMap<>();
        root.put("spec", v3 ? "chara_card_v3" : "chara_card_v2");
        root.put("spec_version", v3 ? "3.0" : "2.0");
        root.put("data", Collections.unmodifiableMap(data));
        if (bookkeeping.get("mirrors") instanceof List<?> mirrors) {
            for (Object key : mirrors) {
                String dataKey = CardReader.MIRRORS.get(String.valueOf(key));
                if (dataKey != null && data.containsKey(dataKey)) {
                    root.put(String.valueOf(key), data.get(dataKey));
                }
            }
        }
        if (bookkeeping.get("root") instanceof Map<?, ?> extras) {
            LoreMapping.castMap(extras).forEach(root::putIfAbsent);
        }
        return Collections.unmodifiableMap(root);
    }

    private static void promptText(Map<String, Object> data, Originals originals, String key, String value) {
        put(data, key, originals.restore(key, value, raw -> Macros.card(text(raw)), value, true));
    }

    private static java.util.Optional<Object> book(Personality p, boolean v3, Map<String, Object> bookkeeping) {
        Map<String, Object> fields = bookkeeping.get("book") instanceof Map<?, ?> b ? LoreMapping.castMap(b) : null;
        if (fields == null && p.lore().isEmpty()) {
            return "null".equals(bookkeeping.get("bookState"))
                    ? java.util.Optional.of(NULL)
                    : java.util.Optional.empty();
        }
        LinkedHashMap<String, Object> book = new LinkedHashMap<>();
        if (fields != null) {
            book.putAll(fields);
        }
        book.putIfAbsent("extensions", Map.of());
        List<Object> entries = new ArrayList<>(p.lore().size());
        for (LoreEntry entry : p.lore()) {
            entries.add(LoreMapping.write(entry, v3));
        }
        book.put("entries", List.copyOf(entries));
        return java.util.Optional.of(Collections.unmodifiableMap(book));
    }

    /** Stands for a JSON null inside an Optional; replaced before the tree is returned. */
    private static final Object NULL = new Object();

    private static Map<String, Object> extensions(Personality p) {
        LinkedHashMap<String, Object> out = new LinkedHashMap<>(p.extensions());
        CardReader.RESERVED.forEach(out::remove);
        NativeFields.write(p).ifPresent(nexus -> out.put(NativeFields.CARD_KEY, nexus));
        return Collections.unmodifiableMap(out);
    }

    private static void put(Map<String, Object> out, String key, Object value) {
        if (value == JsonObject.ABSENT) {
            return;
        }
        out.put(key, value == NULL ? null : value);
    }

    private static String text(Object raw) {
        return raw instanceof String s ? s : "";
    }

    private static List<String> strings(Object raw) {
        return raw instanceof List<?> list ? JsonObject.strings(list, "list") : List.of();
    }
}
