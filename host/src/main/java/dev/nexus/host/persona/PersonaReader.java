package dev.nexus.host.persona;

import dev.nexus.api.knowledge.LoreEntry;
import dev.nexus.host.llm.ModelChoice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns one parsed persona document (a JDK tree) into a {@link Personality}, collecting every
 * problem with its field path instead of stopping at the first. Confined to one read: create one
 * per document.
 */
final class PersonaReader {

    /** Top-level keys of the native document, in the order the writer emits them. */
    static final List<String> TOP_LEVEL = List.of(
            "id",
            "name",
            "description",
            "summary",
            "scenario",
            "voice",
            "style",
            "values",
            "traits",
            "system-prompt",
            "post-history-instructions",
            "greetings",
            "examples",
            "knowledge",
            "lore",
            "creator-notes",
            "tags",
            "creator",
            "character-version",
            "model",
            "avatar",
            "extensions");

    static final List<String> TRAIT_KEYS = List.of("value", "evolvable", "min", "max");
    static final List<String> TURN_KEYS = List.of("role", "text");
    static final List<String> MODEL_KEYS = List.of("provider", "name", "temperature");
    static final List<String> LORE_KEYS = List.of(
            "id",
            "name",
            "keys",
            "secondary-keys",
            "selective",
            "logic",
            "content",
            "constant",
            "enabled",
            "insertion-order",
            "priority",
            "case-sensitive",
            "whole-words",
            "use-regex",
            "position",
            "extensions");

    static final String PROMPT_FILE = "prompt.md";
    static final int MAX_NAME_CHARS = Personality.MAX_NAME_CHARS;
    static final int MAX_TRAITS = 64;
    static final Set<String> AVATAR_TYPES = Set.of("png", "jpg", "jpeg", "webp", "gif");

    private static final Pattern PACK_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern TRAIT_NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Pattern PROVIDER = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final DocumentFields fields;
    private final boolean checkFiles;

    /** A reader for a document whose neighbouring files are known (an avatar must exist). */
    PersonaReader(String file) {
        this(file, true);
    }

    /**
     * A reader; with {@code checkFiles} false, an avatar file need not be present (for documents
     * restored from storage, whose files stay with their source).
     */
    PersonaReader(String file, boolean checkFiles) {
        this.fields = new DocumentFields(file);
        this.checkFiles = checkFiles;
    }

    /** Returns the problems found so far, in document order. */
    List<BundleProblem> problems() {
        return fields.problems();
    }

    /** Records a problem at {@code field}. */
    void problem(String field, String message) {
        fields.problem(field, message);
    }

    /**
     * Reads a document.
     *
     * @param tree the parsed document
     * @param expectedId the id the document must have (a directory name, a bundle id), if any
     * @param files the files beside the document, by name; {@code prompt.md} may hold the system prompt
     * @return the personality, or empty when any problem was found
     */
    Optional<Personality> read(Object tree, Optional<PersonalityId> expectedId, Map<String, byte[]> files) {
        if (!(tree instanceof Map<?, ?> raw)) {
            problem(
                    "(document)",
                    "must be a mapping of fields (name, description, traits, ...), got " + DocumentFields.kind(tree));
            return Optional.empty();
        }
        Map<String, Object> doc = fields.normalised(raw, "", TOP_LEVEL);
        String name = fields.requiredText(doc, "name", MAX_NAME_CHARS);
        PersonalityId id = id(doc, expectedId, name);
        String systemPrompt = systemPrompt(doc, files);
        String description = fields.text(doc, "description");
        String summary = fields.text(doc, "summary");
        String scenario = fields.text(doc, "scenario");
        String voice = fields.text(doc, "voice");
        List<String> style = fields.texts(doc, "style");
        List<String> values = fields.texts(doc, "values");
        Traits traits = traits(doc.get("traits"));
        String postHistory = fields.text(doc, "post-history-instructions");
        List<String> greetings = fields.texts(doc, "greetings");
        List<List<ExampleTurn>> examples = examples(doc.get("examples"));
        List<String> knowledge = packIds(doc);
        List<LoreEntry> lore = lore(doc.get("lore"));
        String creatorNotes = fields.text(doc, "creator-notes");
        List<String> tags = fields.texts(doc, "tags");
        String creator = fields.text(doc, "creator");
        String characterVersion = fields.scalarText(doc, "character-version");
        Optional<ModelChoice> model = model(doc.get("model"));
        Optional<String> avatar = avatar(doc.get("avatar"), files);
        Map<String, Object> extensions = extensions(doc.get("extensions"), "extensions");
        if (fields.count() > 0 || id == null || name == null) {
            return Optional.empty();
        }
        return Optional.of(new Personality(
                id,
                name,
                description,
                summary,
                scenario,
                voice,
                style,
                values,
                traits,
                systemPrompt,
                postHistory,
                greetings,
                examples,
                knowledge,
                lore,
                creatorNotes,
                tags,
                creator,
                characterVersion,
                model,
                avatar,
                extensions));
    }

    // --- fields ---------------------------------------------------------------------------------

    private PersonalityId id(Map<String, Object> doc, Optional<PersonalityId> expectedId, String name) {
        Object value = doc.get("id");
        if (value == null) {
            if (expectedId.isPresent()) {
                return expectedId.get();
            }
            return name == null ? null : PersonalityId.slug(name);
        }
        if (!(value instanceof String text) || !text.matches("[a-z0-9][a-z0-9-]{0,63}")) {
            problem("id", "must be 1-64 lower-case letters, digits or dashes, got " + DocumentFields.quoted(value));
            return null;
        }
        PersonalityId id = PersonalityId.of(text);
        if (expectedId.isPresent() && !expectedId.get().equals(id)) {
            problem(
                    "id",
                    "must match the id '" + expectedId.get() + "' given by where the document lives (its directory, "
                            + "plugin bundle or URL), got '" + text + "'; change one of them or remove the id field");
            return null;
        }
        return id;
    }

    private String systemPrompt(Map<String, Object> doc, Map<String, byte[]> files) {
        String inline = fields.text(doc, "system-prompt");
        byte[] file = files.get(PROMPT_FILE);
        if (file == null) {
            return inline;
        }
        if (!inline.isEmpty()) {
            problem("system-prompt", "is set here and in " + PROMPT_FILE + " beside the document; keep one of them");
            return inline;
        }
        if (file.length > PersonaCodec.MAX_DOCUMENT_CHARS) {
            problem(PROMPT_FILE, "is " + file.length + " bytes; the limit is " + PersonaCodec.MAX_DOCUMENT_CHARS);
            return "";
        }
        return new String(file, java.nio.charset.StandardCharsets.UTF_8);
    }

    private Traits traits(Object value) {
        if (value == null) {
            return Traits.none();
        }
        if (!(value instanceof Map<?, ?> map)) {
            problem(
                    "traits",
                    "must be a mapping of trait name to value, e.g. 'verbosity: 0.4', got "
                            + DocumentFields.kind(value));
            return Traits.none();
        }
        if (map.size() > MAX_TRAITS) {
            problem("traits", "declares " + map.size() + " traits; the limit is " + MAX_TRAITS);
            return Traits.none();
        }
        List<Trait> traits = new ArrayList<>();
        map.forEach((key, spec) -> {
            String name = String.valueOf(key);
            String path = "traits." + name;
            if (!TRAIT_NAME.matcher(name).matches()) {
                problem(path, "trait names are 1-32 lower-case letters, digits or dashes starting with a letter");
                return;
            }
            trait(name, path, spec).ifPresent(traits::add);
        });
        return Traits.of(traits);
    }

    private Optional<Trait> trait(String name, String path, Object spec) {
        if (spec instanceof Number) {
            Double value = fields.unit(spec, path);
            return value == null ? Optional.empty() : Optional.of(new Trait(name, value, false, 0, 1));
        }
        if (!(spec instanceof Map<?, ?> raw)) {
            problem(
                    path,
                    "must be a number in [0, 1] or a mapping {value, evolvable, min, max}, got "
                            + DocumentFields.kind(spec));
            return Optional.empty();
        }
        Map<String, Object> map = fields.normalised(raw, path + ".", TRAIT_KEYS);
        if (map.get("value") == null) {
            problem(path + ".value", "is required: a number in [0, 1]");
        }
        Double value = map.get("value") == null ? null : fields.unit(map.get("value"), path + ".value");
        Boolean evolvable = fields.bool(map, "evolvable", path + ".evolvable", false);
        Double min = map.get("min") == null ? Double.valueOf(0) : fields.unit(map.get("min"), path + ".min");
        Double max = map.get("max") == null ? Double.valueOf(1) : fields.unit(map.get("max"), path + ".max");
        if (min != null && max != null && min > max) {
            problem(path + ".min", "must not exceed max (" + max + "), got " + min);
            return Optional.empty();
        }
        if (value == null || evolvable == null || min == null || max == null) {
            return Optional.empty();
        }
        if (value < min || value > max) {
            problem(path + ".value", "must be within its bounds [" + min + ", " + max + "], got " + value);
            return Optional.empty();
        }
        return Optional.of(new Trait(name, value, evolvable, min, max));
    }

    private List<List<ExampleTurn>> examples(Object value) {
        List<Object> conversations =
                fields.list(value, "examples", "a list of conversations, each a list of {role, text}");
        List<List<ExampleTurn>> examples = new ArrayList<>();
        for (int i = 0; i < conversations.size(); i++) {
            String path = "examples[" + i + "]";
            List<Object> turns = fields.list(conversations.get(i), path, "a list of turns {role, text}");
            if (conversations.get(i) instanceof List<?> && turns.isEmpty()) {
                problem(path, "is an empty conversation; give at least one turn or remove it");
            }
            List<ExampleTurn> conversation = new ArrayList<>();
            for (int j = 0; j < turns.size(); j++) {
                turn(turns.get(j), path + "[" + j + "]").ifPresent(conversation::add);
            }
            examples.add(conversation);
        }
        return examples;
    }

    private Optional<ExampleTurn> turn(Object value, String path) {
        if (!(value instanceof Map<?, ?> raw)) {
            problem(path, "must be a mapping {role, text}, got " + DocumentFields.kind(value));
            return Optional.empty();
        }
        Map<String, Object> map = fields.normalised(raw, path + ".", TURN_KEYS);
        Object role = map.get("role");
        boolean roleOk = "user".equals(role) || "assistant".equals(role);
        if (!roleOk) {
            problem(path + ".role", "must be 'user' or 'assistant', got " + DocumentFields.quoted(role));
        }
        String text = fields.requiredText(map, "text", path + ".text", Integer.MAX_VALUE);
        return roleOk && text != null ? Optional.of(new ExampleTurn((String) role, text)) : Optional.empty();
    }

    private List<String> packIds(Map<String, Object> doc) {
        List<String> ids = fields.texts(doc, "knowledge");
        for (int i = 0; i < ids.size(); i++) {
            if (!PACK_ID.matcher(ids.get(i)).matches()) {
                problem(
                        "knowledge[" + i + "]",
                        "knowledge pack ids are lower-case letters, digits and dashes, got "
                                + DocumentFields.quoted(ids.get(i)));
            }
        }
        return ids;
    }

    private List<LoreEntry> lore(Object value) {
        List<Object> entries = fields.list(value, "lore", "a list of lore entries {keys, content, ...}");
        List<LoreEntry> lore = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            loreEntry(entries.get(i), "lore[" + i + "]").ifPresent(lore::add);
        }
        return lore;
    }

    private Optional<LoreEntry> loreEntry(Object value, String path) {
        if (!(value instanceof Map<?, ?> raw)) {
            problem(path, "must be a mapping {keys, content, ...}, got " + DocumentFields.kind(value));
            return Optional.empty();
        }
        int before = fields.count();
        Map<String, Object> map = fields.normalised(raw, path + ".", LORE_KEYS);
        String id = fields.scalarText(map, "id", path + ".id");
        String name = fields.text(map, "name", path + ".name");
        // Blank keys and keys that are no valid regex are kept: an imported card stored with them must load
        // again after a restart; recall skips a blank key, matches a broken regex as text, and LoreCheck
        // reports both (docs/world-info.md).
        List<String> keys = fields.texts(map, "keys", path + ".keys", true);
        List<String> secondary = fields.texts(map, "secondary-keys", path + ".secondary-keys", true);
        Boolean selective = fields.bool(map, "selective", path + ".selective", LoreDefaults.SELECTIVE);
        LoreEntry.SelectiveLogic logic = logic(map.get("logic"), path + ".logic");
        String content = fields.requiredText(map, "content", path + ".content", LoreCheck.MAX_CONTENT_CHARS);
        Boolean constant = fields.bool(map, "constant", path + ".constant", LoreDefaults.CONSTANT);
        Boolean enabled = fields.bool(map, "enabled", path + ".enabled", LoreDefaults.ENABLED);
        Integer order = fields.integer(map, "insertion-order", path + ".insertion-order", LoreDefaults.INSERTION_ORDER);
        Integer priority = fields.integer(map, "priority", path + ".priority", LoreDefaults.PRIORITY);
        Boolean caseSensitive =
                fields.bool(map, "case-sensitive", path + ".case-sensitive", LoreDefaults.CASE_SENSITIVE);
        Boolean wholeWords = fields.bool(map, "whole-words", path + ".whole-words", LoreDefaults.WHOLE_WORDS);
        Boolean useRegex = fields.bool(map, "use-regex", path + ".use-regex", LoreDefaults.USE_REGEX);
        String position = fields.text(map, "position", path + ".position");
        Map<String, Object> extensions = extensions(map.get("extensions"), path + ".extensions");
        if (Boolean.TRUE.equals(enabled) && Boolean.FALSE.equals(constant) && keys.isEmpty()) {
            problem(
                    path + ".keys",
                    "is empty and the entry is not constant, so it can never activate; "
                            + "add keys or set 'constant: true'");
        }
        if (fields.count() > before) {
            return Optional.empty();
        }
        return Optional.of(new LoreEntry(
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
                priority,
                caseSensitive,
                wholeWords,
                useRegex,
                position.isBlank() ? LoreDefaults.POSITION : position,
                extensions));
    }

    private LoreEntry.SelectiveLogic logic(Object value, String path) {
        if (value == null) {
            return LoreDefaults.LOGIC;
        }
        String text = String.valueOf(value).trim().replace('-', '_').toUpperCase(Locale.ROOT);
        for (LoreEntry.SelectiveLogic logic : LoreEntry.SelectiveLogic.values()) {
            if (logic.name().equals(text)) {
                return logic;
            }
        }
        problem(path, "must be one of and-any, not-all, not-any, and-all, got " + DocumentFields.quoted(value));
        return LoreDefaults.LOGIC;
    }

    private Optional<ModelChoice> model(Object value) {
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?> raw)) {
            problem("model", "must be a mapping {provider, name, temperature}, got " + DocumentFields.kind(value));
            return Optional.empty();
        }
        Map<String, Object> map = fields.normalised(raw, "model.", MODEL_KEYS);
        int before = fields.count();
        String provider = fields.requiredText(map, "provider", "model.provider", 32);
        if (provider != null && !PROVIDER.matcher(provider).matches()) {
            problem(
                    "model.provider",
                    "must be a provider kind such as openai, ollama, anthropic or offline, got "
                            + DocumentFields.quoted(provider));
        }
        String name = fields.text(map, "name", "model.name");
        Optional<Double> temperature = Optional.empty();
        Object raw2 = map.get("temperature");
        if (raw2 != null) {
            if (!(raw2 instanceof Number number)
                    || !Double.isFinite(number.doubleValue())
                    || number.doubleValue() < 0
                    || number.doubleValue() > 2) {
                problem("model.temperature", "must be a number within [0, 2], got " + DocumentFields.quoted(raw2));
            } else {
                temperature = Optional.of(number.doubleValue());
            }
        }
        return fields.count() > before ? Optional.empty() : Optional.of(new ModelChoice(provider, name, temperature));
    }

    private Optional<String> avatar(Object value, Map<String, byte[]> files) {
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String name) || !FILE_NAME.matcher(name).matches() || name.contains("..")) {
            problem(
                    "avatar",
                    "must be the name of an image file beside persona.yaml, e.g. avatar.png, got "
                            + DocumentFields.quoted(value));
            return Optional.empty();
        }
        String extension =
                name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
        if (!AVATAR_TYPES.contains(extension)) {
            problem("avatar", "must be a png, jpg, jpeg, webp or gif image, got " + DocumentFields.quoted(name));
            return Optional.empty();
        }
        if (checkFiles && !files.containsKey(name)) {
            problem(
                    "avatar",
                    "names '" + name + "' but no such file is beside the document; add the file or remove the field");
            return Optional.empty();
        }
        return Optional.of(name);
    }

    private Map<String, Object> extensions(Object value, String path) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            problem(path, "must be a mapping of namespaced keys, got " + DocumentFields.kind(value));
            return Map.of();
        }
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, item) -> copy.put(String.valueOf(key), item));
        return copy;
    }
}
