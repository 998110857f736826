package dev.nexus.host.interchange;

import dev.nexus.api.knowledge.LoreEntry;
import dev.nexus.host.json.Json;
import dev.nexus.host.persona.ExampleTurn;
import dev.nexus.host.persona.Personality;
import dev.nexus.host.persona.Trait;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The native export: the personality as a JSON document with the native field names.
 *
 * <p>Interim: the persona feature's {@code persona.yaml} codec is the native format; until it is on
 * main this writes the same fields as JSON (camelCase, as the HTTP API spells them). Stateless.
 */
final class NativeDocument {

    private NativeDocument() {
    }

    static byte[] write(Personality p) {
        LinkedHashMap<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", p.id().value());
        doc.put("name", p.name());
        doc.put("description", p.description());
        doc.put("summary", p.summary());
        doc.put("scenario", p.scenario());
        doc.put("voice", p.voice());
        doc.put("style", p.style());
        doc.put("values", p.values());
        doc.put("traits", p.traits().all().stream().map(NativeDocument::trait).toList());
        doc.put("systemPrompt", p.systemPrompt());
        doc.put("postHistoryInstructions", p.postHistoryInstructions());
        doc.put("greetings", p.greetings());
        doc.put("examples", p.examples().stream().map(e -> e.stream().map(NativeDocument::turn).toList()).toList());
        doc.put("knowledge", p.knowledge());
        doc.put("lore", p.lore().stream().map(NativeDocument::lore).toList());
        doc.put("creatorNotes", p.creatorNotes());
        doc.put("tags", p.tags());
        doc.put("creator", p.creator());
        doc.put("characterVersion", p.characterVersion());
        p.model().ifPresent(m -> doc.put("model", m));
        p.avatar().ifPresent(a -> doc.put("avatar", a));
        doc.put("extensions", p.extensions());
        return Json.writeBytes(doc);
    }

    private static Map<String, Object> trait(Trait t) {
        return Map.of("name", t.name(), "value", t.value(), "evolvable", t.evolvable(), "min", t.min(), "max", t.max());
    }

    private static Map<String, Object> turn(ExampleTurn t) {
        return Map.of("role", t.role(), "text", t.text());
    }

    private static LoreEntry lore(LoreEntry e) {
        return e;
    }

    static List<String> fields() {
        return List.of();
    }
}
