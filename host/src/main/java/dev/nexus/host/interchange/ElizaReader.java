package dev.nexus.host.interchange;

import dev.nexus.api.knowledge.KnowledgePack;
import dev.nexus.api.knowledge.LoreEntry;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.llm.ModelChoice;
import dev.nexus.host.persona.ExampleTurn;
import dev.nexus.host.persona.Personality;
import dev.nexus.host.persona.PersonalityId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads ElizaOS character files of all three generations into a {@link Personality}.
 *
 * <p>Mapping: {@code name}; {@code system} to the system prompt; {@code bio} (string or list) to the
 * description, one line each; {@code adjectives} to the personality summary; {@code topics} to the
 * values; {@code style.all} and {@code style.chat} to the style rules; {@code messageExamples} to
 * example conversations (the character's own lines, {@code {{agentName}}} and the character's name,
 * become the assistant); {@code postExamples} to one-turn examples of the character writing;
 * {@code lore} to lore entries (0.x strings become constant entries, 1.x {@code {loreKey, content}}
 * objects keyed entries); knowledge strings to a knowledge pack of facts the personality refers to;
 * {@code modelProvider}/{@code settings.model} to a model override when the provider is one the host
 * has (openai, anthropic, ollama). Everything else (clients, plugins, settings, templates, knowledge
 * file references, {@code style.post}, the twitter profile, …) is kept as read under the personality
 * extension {@value #EXTENSION_KEY}. Secrets ({@code secrets}, {@code settings.secrets}) are dropped
 * with a warning: they belong in the host's secret store, not in a personality. Stateless.
 */
final class ElizaReader {

    static final String EXTENSION_KEY = "nexus/eliza";
    private static final Set<String> MAPPED = Set.of(
            "name",
            "system",
            "bio",
            "lore",
            "messageExamples",
            "postExamples",
            "topics",
            "adjectives",
            "knowledge",
            "style",
            "secrets");
    private static final Set<String> HOST_PROVIDERS = Set.of("openai", "anthropic", "ollama");

    private final InterchangeLimits limits;

    ElizaReader(InterchangeLimits limits) {
        this.limits = limits;
    }

    /** Returns the generation of an Eliza character by the reference's detection rule. */
    static SourceFormat generation(JsonObject root) {
        if (root.has("clients") || root.has("modelProvider")) {
            return SourceFormat.ELIZA_V0;
        }
        Object examples = root.map().get("messageExamples");
        if (examples instanceof List<?> list && !list.isEmpty()) {
            Object first = list.getFirst();
            if (first instanceof Map<?, ?> map && map.containsKey("examples")) {
                return SourceFormat.ELIZA_V2;
            }
            if (first instanceof List<?> conversation
                    && !conversation.isEmpty()
                    && conversation.getFirst() instanceof Map<?, ?> turn) {
                if (turn.containsKey("user")) {
                    return SourceFormat.ELIZA_V0;
                }
                if (turn.containsKey("name")) {
                    return SourceFormat.ELIZA_V1;
                }
            }
        }
        if (root.has("advancedPlanning") || root.has("advancedMemory")) {
            return SourceFormat.ELIZA_V2;
        }
        return SourceFormat.ELIZA_V1;
    }

    /** The personality and the knowledge pack its knowledge strings became, if any. */
    record Read(Personality personality, Optional<KnowledgePack> knowledge) {}

    Read read(JsonObject root, SourceFormat generation, List<String> warnings) {
        String name = root.text("name").strip();
        if (name.isEmpty()) {
            throw new InvalidInputException("the ElizaOS character has no 'name'; add one and import again");
        }
        PersonalityId id = PersonalityId.slug(name);
        LinkedHashMap<String, Object> kept = new LinkedHashMap<>();
        kept.put(
                "generation",
                switch (generation) {
                    case ELIZA_V0 -> "0.x";
                    case ELIZA_V2 -> "2.x";
                    default -> "1.x";
                });
        kept.putAll(root.unknown(MAPPED));

        String system = Macros.eliza(root.text("system"));
        String description = String.join("\n", textOrLines(root, "bio")).transform(Macros::eliza);
        String summary = String.join(", ", root.strings("adjectives").orElse(List.of()));
        List<String> values = root.strings("topics").orElse(List.of());
        List<String> style = style(root, kept);
        List<List<ExampleTurn>> examples = messageExamples(root, name, generation);
        for (String post : root.strings("postExamples").orElse(List.of())) {
            examples.add(List.of(new ExampleTurn("assistant", Macros.eliza(post))));
        }
        List<LoreEntry> lore = lore(root);
        Optional<KnowledgePack> knowledge = knowledge(root, id, name, kept, warnings);
        Optional<ModelChoice> model = model(root, warnings);
        secrets(root, kept, warnings);

        LinkedHashMap<String, Object> extensions = new LinkedHashMap<>();
        extensions.put(EXTENSION_KEY, Collections.unmodifiableMap(kept));
        extensions.put(NativeFields.DEFAULT_TRAITS_KEY, NativeFields.DEFAULT_TRAITS);
        Personality personality = new Personality(
                id,
                name,
                description,
                summary,
                "",
                "",
                style,
                values,
                NativeFields.defaultTraits(),
                system,
                "",
                List.of(),
                examples,
                knowledge.map(pack -> List.of(pack.id())).orElse(List.of()),
                lore,
                "",
                List.of(),
                "",
                "",
                model,
                Optional.empty(),
                extensions);
        return new Read(personality, knowledge);
    }

    private static List<String> textOrLines(JsonObject root, String key) {
        Object raw = root.map().get(key);
        if (raw instanceof String s) {
            return List.of(s);
        }
        return root.strings(key).orElse(List.of());
    }

    private static List<String> style(JsonObject root, Map<String, Object> kept) {
        Optional<JsonObject> style = root.object("style");
        if (style.isEmpty()) {
            return List.of();
        }
        List<String> rules = new ArrayList<>(style.get().strings("all").orElse(List.of()));
        rules.addAll(style.get().strings("chat").orElse(List.of()));
        style.get().strings("post");
        Map<String, Object> rest = style.get().unknown(Set.of("all", "chat"));
        if (!rest.isEmpty()) {
            kept.put("style", rest);
        }
        return rules.stream().map(Macros::eliza).toList();
    }

    private List<List<ExampleTurn>> messageExamples(JsonObject root, String name, SourceFormat generation) {
        List<List<ExampleTurn>> out = new ArrayList<>();
        List<Object> conversations = root.array("messageExamples").orElse(List.of());
        if (conversations.size() > limits.maxLoreEntries()) {
            throw new InvalidInputException("'messageExamples' has " + conversations.size()
                    + " conversations, more than " + limits.maxLoreEntries() + "; keep the most telling ones");
        }
        for (int i = 0; i < conversations.size(); i++) {
            String path = "messageExamples[" + i + "]";
            List<?> turns;
            Object conversation = conversations.get(i);
            if (generation == SourceFormat.ELIZA_V2 || conversation instanceof Map<?, ?>) {
                JsonObject wrapper = JsonObject.element(conversations, i, "messageExamples");
                turns = wrapper.array("examples").orElse(List.of());
                path = path + ".examples";
            } else if (conversation instanceof List<?> list) {
                turns = list;
            } else {
                throw JsonObject.wrongType(path, "an array of messages", conversation);
            }
            List<ExampleTurn> example = new ArrayList<>();
            for (int t = 0; t < turns.size(); t++) {
                JsonObject turn = JsonObject.element(turns, t, path);
                String speaker =
                        turn.string("name").or(() -> turn.string("user")).orElse("");
                String text = turn.object("content")
                        .map(content -> content.text("text"))
                        .orElse("");
                example.add(new ExampleTurn(isCharacter(speaker, name) ? "assistant" : "user", Macros.eliza(text)));
            }
            if (!example.isEmpty()) {
                out.add(List.copyOf(example));
            }
        }
        return out;
    }

    private static boolean isCharacter(String speaker, String name) {
        String s = speaker.strip().toLowerCase(Locale.ROOT);
        return s.equals(name.toLowerCase(Locale.ROOT))
                || s.equals("{{agentname}}")
                || s.equals("{{char}}")
                || s.equals("{{name}}");
    }

    private List<LoreEntry> lore(JsonObject root) {
        List<Object> items = root.array("lore").orElse(List.of());
        if (items.size() > limits.maxLoreEntries()) {
            throw new InvalidInputException("'lore' has " + items.size() + " items, more than the limit of "
                    + limits.maxLoreEntries() + "; shorten it or raise interchange.max-lore-entries");
        }
        List<LoreEntry> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            String id = "lore-" + (i + 1);
            if (item instanceof String text) {
                out.add(new LoreEntry(
                        id,
                        id,
                        List.of(),
                        List.of(),
                        false,
                        LoreEntry.SelectiveLogic.AND_ANY,
                        Macros.eliza(text),
                        true,
                        true,
                        100,
                        0,
                        false,
                        false,
                        false,
                        "before_char",
                        Map.of()));
            } else {
                JsonObject entry = JsonObject.element(items, i, "lore");
                String key = entry.text("loreKey");
                LinkedHashMap<String, Object> extensions =
                        new LinkedHashMap<>(entry.unknown(Set.of("loreKey", "content")));
                entry.string("vectorText");
                boolean hasKey = !key.isBlank();
                out.add(new LoreEntry(
                        id,
                        key.isBlank() ? id : key,
                        hasKey ? List.of(key) : List.of(),
                        List.of(),
                        false,
                        LoreEntry.SelectiveLogic.AND_ANY,
                        Macros.eliza(entry.text("content")),
                        !hasKey,
                        true,
                        100,
                        10,
                        false,
                        true,
                        false,
                        "before_char",
                        extensions));
            }
        }
        return out;
    }

    private static Optional<KnowledgePack> knowledge(
            JsonObject root, PersonalityId id, String name, Map<String, Object> kept, List<String> warnings) {
        List<Object> items = root.array("knowledge").orElse(List.of());
        List<String> facts = new ArrayList<>();
        List<Object> references = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            if (item instanceof String fact) {
                facts.add(fact);
            } else if (item instanceof Map<?, ?>) {
                JsonObject.element(items, i, "knowledge");
                references.add(item);
            } else {
                throw JsonObject.wrongType("knowledge[" + i + "]", "a string or a {path} / {directory} object", item);
            }
        }
        if (!references.isEmpty()) {
            kept.put("knowledge", List.copyOf(references));
            warnings.add(references.size() + " knowledge file or directory reference(s) were kept but not loaded:"
                    + " import those files as knowledge packs");
        }
        if (facts.isEmpty()) {
            return Optional.empty();
        }
        String packId =
                id.value().length() > 54 ? id.value().substring(0, 54) + "-knowledge" : id.value() + "-knowledge";
        return Optional.of(
                new KnowledgePack(packId, name + " knowledge", "1.0.0", "character", List.of(), facts, List.of()));
    }

    private static Optional<ModelChoice> model(JsonObject root, List<String> warnings) {
        Optional<String> provider = root.string("modelProvider").map(p -> p.toLowerCase(Locale.ROOT));
        Optional<JsonObject> settings = root.object("settings");
        if (provider.isEmpty()) {
            return Optional.empty();
        }
        if (!HOST_PROVIDERS.contains(provider.get())) {
            warnings.add("model provider '" + InvalidInputException.cap(provider.get())
                    + "' is not one Nexus talks to; the personality uses the host's default model");
            return Optional.empty();
        }
        String model = settings.flatMap(s -> s.string("model")).orElse("").strip();
        // Issue 12: an override the host cannot serve (no model name, or a provider the host has no key
        // for) turns every turn into a 502. The character's choice stays in extensions["nexus/eliza"]
        // (modelProvider, settings) and the warning says how to opt in.
        if (model.isEmpty()) {
            warnings.add("modelProvider '" + provider.get() + "' names no model (settings.model is empty); the"
                    + " personality uses the host's default model");
        } else {
            warnings.add("the character asks for " + provider.get() + " model '" + InvalidInputException.cap(model)
                    + "'; the personality uses the host's default model. To use that model, configure llm.endpoints."
                    + provider.get() + " and set the personality's model override");
        }
        return Optional.empty();
    }

    private static void secrets(JsonObject root, Map<String, Object> kept, List<String> warnings) {
        boolean dropped = root.has("secrets");
        Optional<JsonObject> settings = root.object("settings");
        if (settings.isPresent() && settings.get().has("secrets")) {
            kept.put("settings", settings.get().unknown(Set.of("secrets")));
            dropped = true;
        }
        if (dropped) {
            warnings.add("the character's secrets were not imported; put API keys and tokens in the host's"
                    + " configuration or secret store");
        }
    }
}
