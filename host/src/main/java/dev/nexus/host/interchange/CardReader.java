package dev.nexus.host.interchange;

import dev.nexus.api.knowledge.LoreEntry;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.persona.ExampleTurn;
import dev.nexus.host.persona.Personality;
import dev.nexus.host.persona.PersonalityId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads Character Card V1, V2 and V3 JSON into a {@link Personality}.
 *
 * <p>Everything the native model does not hold is kept in the personality's extensions under
 * {@value #BOOKKEEPING}: unknown top-level and {@code data} keys, SillyTavern's root duplicates, the
 * V3-only fields, the lorebook's book-level fields and the original spelling of fields whose native
 * form differs (see {@link Originals}). The card's own {@code data.extensions} become the
 * personality's extensions as they are, except {@code nexus} (see {@link NativeFields}).
 * Stateless.
 */
final class CardReader {

    /** The personality-extensions key of the card bookkeeping. */
    static final String BOOKKEEPING = "nexus/card";
    /** Extension keys interchange owns; a card may not bring its own. */
    static final Set<String> RESERVED = Set.of(BOOKKEEPING, NativeFields.DEFAULT_TRAITS_KEY, CharxContainer.FILES_KEY);

    static final List<String> V1_FIELDS =
            List.of("name", "description", "personality", "scenario", "first_mes", "mes_example");
    static final Set<String> DATA_FIELDS = Set.of(
            "name",
            "description",
            "personality",
            "scenario",
            "first_mes",
            "mes_example",
            "creator_notes",
            "system_prompt",
            "post_history_instructions",
            "alternate_greetings",
            "character_book",
            "tags",
            "creator",
            "character_version",
            "extensions");
    static final List<String> V3_FIELDS = List.of(
            "assets",
            "nickname",
            "creator_notes_multilingual",
            "source",
            "group_only_greetings",
            "creation_date",
            "modification_date");
    /** SillyTavern's root duplicates of {@code data} fields: root key to data key. */
    static final Map<String, String> MIRRORS = Map.of(
            "name",
            "name",
            "description",
            "description",
            "personality",
            "personality",
            "scenario",
            "scenario",
            "first_mes",
            "first_mes",
            "mes_example",
            "mes_example",
            "creatorcomment",
            "creator_notes",
            "tags",
            "tags");

    static final Set<String> BOOK_FIELDS =
            Set.of("name", "description", "scan_depth", "token_budget", "recursive_scanning", "extensions", "entries");

    private final InterchangeLimits limits;

    CardReader(InterchangeLimits limits) {
        this.limits = limits;
    }

    /**
     * Reads a card whose format was already detected.
     *
     * @param format one of the three card formats
     * @param warnings receives what was changed or guessed
     */
    Personality read(JsonObject root, SourceFormat format, List<String> warnings) {
        boolean v1 = format == SourceFormat.CHARACTER_CARD_V1;
        boolean v3 = format == SourceFormat.CHARACTER_CARD_V3;
        JsonObject data = v1
                ? root
                : root.object("data")
                        .orElseThrow(() -> new InvalidInputException("character card '" + root.text("spec")
                                + "' has no 'data' object; a V2/V3 card keeps its fields"
                                + " under 'data': export it again from its editor"));
        if (!v1) {
            checkVersion(root, v3, warnings);
        }
        LinkedHashMap<String, Object> bookkeeping = new LinkedHashMap<>();
        Originals originals = new Originals();

        String dataName = data.text("name");
        String name = dataName;
        if (dataName.isBlank()) {
            if (!v1 && !root.text("name").isBlank()) {
                name = root.text("name");
                warnings.add(
                        "'data.name' is empty; used the top-level 'name' \"" + InvalidInputException.cap(name) + "\"");
            } else {
                throw new InvalidInputException("'" + data.path("name") + "' is empty; a character needs a name:"
                        + " set one in a card editor and import again");
            }
        }
        originals.remember("name", data.raw("name"), name);
        String description = promptText(data, "description", originals);
        String summary = promptText(data, "personality", originals);
        String scenario = promptText(data, "scenario", originals);
        String systemPrompt = promptText(data, "system_prompt", originals);
        String postHistory = promptText(data, "post_history_instructions", originals);
        String creatorNotes = plainText(data, "creator_notes", originals);
        String creator = plainText(data, "creator", originals);
        String characterVersion = plainText(data, "character_version", originals);
        List<String> tags = data.strings("tags").orElse(List.of());
        originals.remember("tags", data.raw("tags"), tags);

        String firstMessage = promptText(data, "first_mes", originals);
        List<String> alternates = data.strings("alternate_greetings").orElse(List.of()).stream()
                .map(Macros::card)
                .toList();
        originals.remember("alternate_greetings", data.raw("alternate_greetings"), alternates);
        List<String> greetings = greetings(firstMessage, alternates);

        String rawExamples = data.text("mes_example");
        List<List<ExampleTurn>> examples = Examples.parse(Macros.card(rawExamples), name);
        originals.remember("mes_example", data.raw("mes_example"), Examples.render(examples));

        List<LoreEntry> lore = book(data, v3, bookkeeping, warnings);

        Map<String, Object> cardExtensions =
                data.object("extensions").map(JsonObject::map).orElse(Map.of());
        for (String reserved : RESERVED) {
            if (cardExtensions.containsKey(reserved)) {
                throw new InvalidInputException("'" + data.path("extensions") + "' uses the reserved key '" + reserved
                        + "'; rename that extension and import again");
            }
        }
        NativeFields.Read nexus =
                NativeFields.read(data.object("extensions").flatMap(e -> e.object(NativeFields.CARD_KEY)));

        if (v1) {
            bookkeeping.put("root", root.unknown(DATA_FIELDS));
        } else {
            rootExtras(root, data, bookkeeping);
            Set<String> known = new java.util.HashSet<>(DATA_FIELDS);
            if (v3) {
                // In a V2 card these keys are unknown keys like any other (newer SillyTavern writes
                // group_only_greetings into V2 cards), kept under "data" and written back in any format.
                LinkedHashMap<String, Object> v3Fields = v3Fields(data);
                if (!v3Fields.isEmpty()) {
                    bookkeeping.put("v3", Collections.unmodifiableMap(v3Fields));
                }
                known.addAll(V3_FIELDS);
            }
            if (!v3 && List.of().equals(data.map().get("group_only_greetings"))) {
                // Newer SillyTavern writes an empty group_only_greetings into V2 cards: the value every
                // V3 card has, so it is a spelling to restore in V2 rather than unknown data.
                originals.remember("group_only_greetings", data.map().get("group_only_greetings"), JsonObject.ABSENT);
                known.add("group_only_greetings");
            }
            Map<String, Object> unknownData = data.unknown(known);
            if (!unknownData.isEmpty()) {
                bookkeeping.put("data", unknownData);
            }
        }
        if (!originals.isEmpty()) {
            bookkeeping.put("originals", originals.toMap());
        }

        LinkedHashMap<String, Object> extensions = new LinkedHashMap<>(cardExtensions);
        extensions.remove(NativeFields.CARD_KEY);
        extensions.put(BOOKKEEPING, Collections.unmodifiableMap(bookkeeping));
        if (!nexus.defaultedTraits().isEmpty()) {
            extensions.put(NativeFields.DEFAULT_TRAITS_KEY, nexus.defaultedTraits());
        }
        String finalName = name;
        PersonalityId id = nexus.id().orElseGet(() -> PersonalityId.slug(finalName));
        return new Personality(
                id,
                name,
                description,
                summary,
                scenario,
                nexus.voice(),
                nexus.style(),
                nexus.values(),
                nexus.traits(),
                systemPrompt,
                postHistory,
                greetings,
                examples,
                nexus.knowledge(),
                lore,
                creatorNotes,
                tags,
                creator,
                characterVersion,
                nexus.model(),
                nexus.avatar(),
                extensions);
    }

    static List<String> greetings(String first, List<String> alternates) {
        if (first.isEmpty() && alternates.isEmpty()) {
            return List.of();
        }
        List<String> all = new ArrayList<>(alternates.size() + 1);
        all.add(first);
        all.addAll(alternates);
        return all;
    }

    private static String promptText(JsonObject data, String key, Originals originals) {
        String text = Macros.card(data.text(key));
        originals.remember(key, data.raw(key), text);
        return text;
    }

    private static String plainText(JsonObject data, String key, Originals originals) {
        String text = data.text(key);
        originals.remember(key, data.raw(key), text);
        return text;
    }

    private static void checkVersion(JsonObject root, boolean v3, List<String> warnings) {
        Object raw = root.raw("spec_version");
        double expected = v3 ? 3.0 : 2.0;
        double version;
        if (raw instanceof String s) {
            try {
                version = Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                warnings.add(
                        "'spec_version' \"" + InvalidInputException.cap(s) + "\" is not a number; read as " + expected);
                return;
            }
        } else if (raw instanceof Number n) {
            version = n.doubleValue();
        } else {
            return;
        }
        if (version > expected) {
            warnings.add("card spec_version " + raw + " is newer than " + expected
                    + ", which Nexus implements; fields it does not know are kept but not used");
        }
    }

    private List<LoreEntry> book(JsonObject data, boolean v3, Map<String, Object> bookkeeping, List<String> warnings) {
        Object raw = data.raw("character_book");
        if (raw == JsonObject.ABSENT) {
            return List.of();
        }
        if (raw == null) {
            bookkeeping.put("bookState", "null");
            return List.of();
        }
        JsonObject book = data.object("character_book").orElseThrow();
        book.string("name");
        book.string("description");
        book.number("scan_depth");
        book.number("token_budget");
        book.bool("recursive_scanning");
        book.object("extensions");
        List<LoreEntry> entries = LoreMapping.readEntries(book, v3, limits, warnings);
        LinkedHashMap<String, Object> fields = new LinkedHashMap<>(book.map());
        fields.remove("entries");
        if (!fields.equals(Map.of("extensions", Map.of()))) {
            // {"extensions": {}} is what the writer puts around any lore; anything else is remembered.
            bookkeeping.put("book", Collections.unmodifiableMap(fields));
        }
        return entries;
    }

    private static void rootExtras(JsonObject root, JsonObject data, Map<String, Object> bookkeeping) {
        LinkedHashMap<String, Object> extras = new LinkedHashMap<>();
        List<String> mirrors = new ArrayList<>();
        root.map().forEach((key, value) -> {
            if (key.equals("spec") || key.equals("spec_version") || key.equals("data")) {
                return;
            }
            String dataKey = MIRRORS.get(key);
            if (dataKey != null
                    && data.has(dataKey)
                    && java.util.Objects.equals(value, data.map().get(dataKey))) {
                mirrors.add(key);
            } else {
                extras.put(key, value);
            }
        });
        if (!extras.isEmpty()) {
            bookkeeping.put("root", Collections.unmodifiableMap(extras));
        }
        if (!mirrors.isEmpty()) {
            bookkeeping.put("mirrors", List.copyOf(mirrors));
        }
    }

    private static LinkedHashMap<String, Object> v3Fields(JsonObject data) {
        data.array("assets").ifPresent(assets -> {
            for (int i = 0; i < assets.size(); i++) {
                JsonObject asset = JsonObject.element(assets, i, data.path("assets"));
                asset.string("type");
                asset.string("uri");
                asset.string("name");
                asset.string("ext");
            }
        });
        data.string("nickname");
        data.object("creator_notes_multilingual")
                .ifPresent(notes -> notes.map().keySet().forEach(notes::string));
        data.strings("source");
        data.strings("group_only_greetings");
        data.number("creation_date");
        data.number("modification_date");
        LinkedHashMap<String, Object> fields = new LinkedHashMap<>();
        for (String key : V3_FIELDS) {
            // An empty group_only_greetings is what every V3 export writes anyway: nothing to remember.
            if (data.has(key)
                    && !(key.equals("group_only_greetings")
                            && List.of().equals(data.map().get(key)))) {
                fields.put(key, data.map().get(key));
            }
        }
        return fields;
    }

    /** Returns the raw V3 {@code assets} array kept for {@code personality}, if any. */
    static Optional<List<?>> assets(Personality personality) {
        return personality.extensions().get(BOOKKEEPING) instanceof Map<?, ?> card
                        && card.get("v3") instanceof Map<?, ?> v3
                        && v3.get("assets") instanceof List<?> assets
                ? Optional.of(assets)
                : Optional.empty();
    }
}
