package dev.nexus.host.persona;

import dev.nexus.api.knowledge.LoreEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a {@link Personality} into the native document tree (the inverse of {@link PersonaReader}).
 * Empty text, empty lists and default values are left out so documents stay short; reading the
 * result gives back an equal personality. Stateless and thread-safe.
 */
final class PersonaWriter {

    private final boolean camel;

    PersonaWriter(PersonaCodec.KeyStyle style) {
        this.camel = style == PersonaCodec.KeyStyle.CAMEL;
    }

    Map<String, Object> tree(Personality p) {
        Fields doc = new Fields();
        doc.put("id", p.id().value());
        doc.put("name", p.name());
        doc.text("description", p.description());
        doc.text("summary", p.summary());
        doc.text("scenario", p.scenario());
        doc.text("voice", p.voice());
        doc.list("style", p.style());
        doc.list("values", p.values());
        if (!p.traits().isEmpty()) {
            LinkedHashMap<String, Object> traits = new LinkedHashMap<>();
            p.traits().all().forEach(trait -> traits.put(trait.name(), trait(trait)));
            doc.put("traits", traits);
        }
        doc.text("system-prompt", p.systemPrompt());
        doc.text("post-history-instructions", p.postHistoryInstructions());
        doc.list("greetings", p.greetings());
        doc.list("examples", p.examples().stream().map(this::conversation).toList());
        doc.list("knowledge", p.knowledge());
        doc.list("lore", p.lore().stream().map(this::lore).toList());
        doc.text("creator-notes", p.creatorNotes());
        doc.list("tags", p.tags());
        doc.text("creator", p.creator());
        doc.text("character-version", p.characterVersion());
        p.model().ifPresent(model -> {
            Fields fields = new Fields();
            fields.put("provider", model.provider());
            fields.text("name", model.name());
            model.temperature().ifPresent(t -> fields.put("temperature", t));
            doc.put("model", fields.map);
        });
        p.avatar().ifPresent(avatar -> doc.put("avatar", avatar));
        if (!p.extensions().isEmpty()) {
            doc.put("extensions", p.extensions());
        }
        return doc.map;
    }

    private static Object trait(Trait trait) {
        if (!trait.evolvable() && trait.min() == 0 && trait.max() == 1) {
            return trait.value();
        }
        LinkedHashMap<String, Object> map = new LinkedHashMap<>();
        map.put("value", trait.value());
        if (trait.evolvable()) {
            map.put("evolvable", true);
        }
        if (trait.min() != 0) {
            map.put("min", trait.min());
        }
        if (trait.max() != 1) {
            map.put("max", trait.max());
        }
        return map;
    }

    private List<Object> conversation(List<ExampleTurn> turns) {
        List<Object> out = new ArrayList<>();
        for (ExampleTurn turn : turns) {
            LinkedHashMap<String, Object> map = new LinkedHashMap<>();
            map.put("role", turn.role());
            map.put("text", turn.text());
            out.add(map);
        }
        return out;
    }

    private Map<String, Object> lore(LoreEntry entry) {
        Fields f = new Fields();
        f.text("id", entry.id());
        f.text("name", entry.name());
        f.list("keys", entry.keys());
        f.list("secondary-keys", entry.secondaryKeys());
        f.unless("selective", entry.selective(), LoreDefaults.SELECTIVE);
        if (entry.logic() != LoreDefaults.LOGIC) {
            f.put("logic", entry.logic().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        f.put("content", entry.content());
        f.unless("constant", entry.constant(), LoreDefaults.CONSTANT);
        f.unless("enabled", entry.enabled(), LoreDefaults.ENABLED);
        f.unless("insertion-order", entry.insertionOrder(), LoreDefaults.INSERTION_ORDER);
        f.unless("priority", entry.priority(), LoreDefaults.PRIORITY);
        f.unless("case-sensitive", entry.caseSensitive(), LoreDefaults.CASE_SENSITIVE);
        f.unless("whole-words", entry.wholeWords(), LoreDefaults.WHOLE_WORDS);
        f.unless("use-regex", entry.useRegex(), LoreDefaults.USE_REGEX);
        f.unless("position", entry.position(), LoreDefaults.POSITION);
        if (!entry.extensions().isEmpty()) {
            f.put("extensions", entry.extensions());
        }
        return f.map;
    }

    /** An ordered mapping that names its keys in the chosen style and skips empty values. */
    private final class Fields {
        final LinkedHashMap<String, Object> map = new LinkedHashMap<>();

        void put(String key, Object value) {
            map.put(camel ? camel(key) : key, value);
        }

        void text(String key, String value) {
            if (!value.isEmpty()) {
                put(key, value);
            }
        }

        void list(String key, List<?> value) {
            if (!value.isEmpty()) {
                put(key, value);
            }
        }

        void unless(String key, Object value, Object fallback) {
            if (!value.equals(fallback)) {
                put(key, value);
            }
        }
    }

    /** Turns {@code system-prompt} into {@code systemPrompt}. */
    static String camel(String key) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : key.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
