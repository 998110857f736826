package dev.nexus.host.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nexus.api.knowledge.LoreEntry;
import dev.nexus.api.personality.PersonalityBundle;
import dev.nexus.host.llm.ModelChoice;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersonaCodecTest {

    private static final String FILE = "personalities/zen/persona.yaml";
    private final PersonaCodec codec = new PersonaCodec();

    static final String FULL = """
            id: zen
            name: Zen
            description: A calm engineer who explains {{user}}'s systems.
            summary: Calm, precise.
            scenario: A quiet office.
            voice: unhurried, precise
            style:
              - Short sentences.
              - One idea at a time.
            values:
              - clarity
            traits:
              verbosity: 0.4
              warmth: {value: 0.7, evolvable: true, min: 0.5, max: 0.9}
              formality: {value: 0.3, evolvable: true}
              patience: 0.95
            system-prompt: |
              You are {{char}}. {{original}}
            post-history-instructions: Stay calm.
            greetings:
              - Hello, {{user}}.
              - Breathe. Then ask.
            examples:
              - - {role: user, text: "Why is it slow?"}
                - {role: assistant, text: Measure first.}
              - - {role: user, text: Hi}
            knowledge: [software-engineering, career]
            lore:
              - id: koan
                keys: [koan, riddle]
                content: The bug is in the assumption.
              - name: always
                content: Breathe.
                constant: true
                keys: []
                logic: not-any
                insertion-order: 5
                priority: 3
                case-sensitive: true
                whole-words: false
                use-regex: true
                position: after_char
                selective: true
                secondary-keys: [x]
                extensions: {st/depth: 4}
            creator-notes: For people only.
            tags: [calm, engineering]
            creator: nexus
            character-version: 1.2
            model: {provider: openai, name: gpt-4o-mini, temperature: 0.3}
            avatar: avatar.png
            extensions:
              acme/colour: teal
              nested: {list: [1, 2.5, "three", null, true, {deep: [[]]}], big: 12345678901234, empty: {}}
            """;

    private Personality full() {
        return codec.decode(FILE, FULL, Optional.of(PersonalityId.of("zen")), Map.of("avatar.png", new byte[0]));
    }

    @Test
    void decode_fullDocument_readsEveryField() {
        Personality p = full();

        assertThat(p.id()).isEqualTo(PersonalityId.of("zen"));
        assertThat(p.name()).isEqualTo("Zen");
        assertThat(p.description()).isEqualTo("A calm engineer who explains {{user}}'s systems.");
        assertThat(p.summary()).isEqualTo("Calm, precise.");
        assertThat(p.scenario()).isEqualTo("A quiet office.");
        assertThat(p.voice()).isEqualTo("unhurried, precise");
        assertThat(p.style()).containsExactly("Short sentences.", "One idea at a time.");
        assertThat(p.values()).containsExactly("clarity");
        assertThat(p.traits().all())
                .containsExactly(
                        new Trait("verbosity", 0.4, false, 0, 1),
                        new Trait("warmth", 0.7, true, 0.5, 0.9),
                        new Trait("formality", 0.3, true, 0, 1),
                        new Trait("patience", 0.95, false, 0, 1));
        assertThat(p.systemPrompt()).isEqualTo("You are {{char}}. {{original}}\n");
        assertThat(p.postHistoryInstructions()).isEqualTo("Stay calm.");
        assertThat(p.greetings()).containsExactly("Hello, {{user}}.", "Breathe. Then ask.");
        assertThat(p.examples())
                .containsExactly(
                        List.of(
                                new ExampleTurn("user", "Why is it slow?"),
                                new ExampleTurn("assistant", "Measure first.")),
                        List.of(new ExampleTurn("user", "Hi")));
        assertThat(p.knowledge()).containsExactly("software-engineering", "career");
        assertThat(p.lore()).hasSize(2);
        assertThat(p.lore().get(0))
                .isEqualTo(new LoreEntry(
                        "koan",
                        "",
                        List.of("koan", "riddle"),
                        List.of(),
                        false,
                        LoreEntry.SelectiveLogic.AND_ANY,
                        "The bug is in the assumption.",
                        false,
                        true,
                        100,
                        10,
                        false,
                        true,
                        false,
                        "before_char",
                        Map.of()));
        assertThat(p.lore().get(1))
                .isEqualTo(new LoreEntry(
                        "",
                        "always",
                        List.of(),
                        List.of("x"),
                        true,
                        LoreEntry.SelectiveLogic.NOT_ANY,
                        "Breathe.",
                        true,
                        true,
                        5,
                        3,
                        true,
                        false,
                        true,
                        "after_char",
                        Map.of("st/depth", 4)));
        assertThat(p.creatorNotes()).isEqualTo("For people only.");
        assertThat(p.tags()).containsExactly("calm", "engineering");
        assertThat(p.creator()).isEqualTo("nexus");
        assertThat(p.characterVersion()).isEqualTo("1.2");
        assertThat(p.model()).contains(new ModelChoice("openai", "gpt-4o-mini", Optional.of(0.3)));
        assertThat(p.avatar()).contains("avatar.png");
        assertThat(p.extensions()).containsEntry("acme/colour", "teal");
        assertThat(p.extensions().get("nested").toString())
                .isEqualTo("{list=[1, 2.5, three, null, true, {deep=[[]]}], big=12345678901234, empty={}}");
    }

    @Test
    void encode_thenDecode_givesAnEqualPersonalityAndIdenticalBytes() {
        Personality first = full();

        String saved = codec.encode(first);
        Personality second = codec.decode(FILE, saved, Optional.empty(), Map.of("avatar.png", new byte[0]));
        String savedAgain = codec.encode(second);

        assertThat(second).isEqualTo(first);
        assertThat(savedAgain).isEqualTo(saved);
        assertThat(second.extensions()).isEqualTo(first.extensions());
    }

    @Test
    void encode_trickyText_survivesTheRoundTrip() {
        List<String> tricky = List.of(
                "yes",
                "no",
                "null",
                "~",
                "1.0",
                "0x1F",
                "- dash",
                "key: value",
                "# hash",
                "  leading spaces",
                "trailing spaces  ",
                "line one\nline two\n",
                "no final newline\nsecond",
                "ends with two newlines\n\n",
                "\ttab",
                "quote ' and \" both",
                "ünïcødé 🙂 字",
                "'single'",
                "{{char}}",
                "@at",
                "`tick`",
                "%percent",
                "*star",
                "&amp",
                "!bang",
                "|pipe",
                ">fold",
                "[x]",
                "{y}",
                "?q");
        Personality original = new Personality(
                PersonalityId.of("tricky"),
                "Tricky",
                tricky.get(11),
                tricky.get(12),
                tricky.get(13),
                tricky.get(9),
                tricky,
                tricky,
                Traits.none(),
                tricky.get(10),
                tricky.get(14),
                tricky,
                List.of(tricky.stream().map(t -> new ExampleTurn("user", t)).toList()),
                List.of(),
                List.of(),
                tricky.get(15),
                tricky,
                tricky.get(16),
                "2.10",
                Optional.empty(),
                Optional.empty(),
                Map.of("texts", tricky, "numbers", List.of(0, -1, 3.25, 1e-9, 12345678901234567890.0, Long.MAX_VALUE)));

        String saved = codec.encode(original);
        Personality read = codec.decode("t", saved, Optional.empty(), Map.of());

        assertThat(read).isEqualTo(original);
        assertThat(codec.encode(read)).isEqualTo(saved);
    }

    @Test
    void decode_camelCaseKeys_readTheSameAsKebabCase() {
        Personality p = full();
        Map<String, Object> camel = new java.util.LinkedHashMap<>(codec.tree(p, PersonaCodec.KeyStyle.CAMEL));
        camel.remove("avatar");

        Personality read = codec.decodeTree("request body", camel, Optional.empty());

        assertThat(camel)
                .containsKeys("systemPrompt", "postHistoryInstructions", "creatorNotes", "characterVersion")
                .doesNotContainKey("system-prompt");
        assertThat(read).isEqualTo(withoutAvatar(p));
    }

    @Test
    void decode_json_isAcceptedAsYaml() {
        Personality p = codec.decode(
                "request body",
                "{\"name\": \"Json\", \"traits\": {\"warmth\": 0.5}, \"systemPrompt\": \"Be {{char}}.\"}",
                Optional.empty(),
                Map.of());

        assertThat(p.id()).isEqualTo(PersonalityId.of("json"));
        assertThat(p.systemPrompt()).isEqualTo("Be {{char}}.");
        assertThat(p.traits().value("warmth", 0)).isEqualTo(0.5);
    }

    @Test
    void decode_traitOutOfRange_namesFileFieldAndValue() {
        assertThatThrownBy(() -> codec.decode(
                        FILE, "name: Zen\ntraits:\n  verbosity: {value: 1.4}\n", Optional.empty(), Map.of()))
                .isInstanceOf(InvalidPersonalityException.class)
                .hasMessage("personality document has 1 problem: "
                        + "personalities/zen/persona.yaml: traits.verbosity.value: must be within [0, 1], got 1.4");
    }

    @Test
    void decode_manyProblems_reportsEveryOneWithItsField() {
        String yaml = """
                id: Not An Id
                description: 42
                style: just one string
                traits:
                  verbosity: 1.4
                  warmth: {value: 0.9, max: 0.8, evolvable: sometimes, colour: red}
                  humor: {value: 0.1, min: 0.6, max: 0.5}
                  curiosity: high
                  Bad_Name: 0.5
                greetings: ["", 7]
                examples:
                  - - {role: bot, text: hi}
                    - {role: user}
                  - []
                  - not a list
                knowledge: [Finance!]
                lore:
                  - content: no keys
                  - keys: ["(unclosed"]
                    use-regex: true
                    content: x
                    insertion-order: first
                    logic: sometimes
                model: {provider: openai, temperature: 3}
                avatar: ../../etc/passwd
                extensions: [1]
                colour: teal
                systemPrompt: a
                system-prompt: b
                """;

        InvalidPersonalityException e = catchThrowableOfType(
                InvalidPersonalityException.class, () -> codec.decode(FILE, yaml, Optional.empty(), Map.of()));

        assertThat(e.problems())
                .containsExactly(
                        FILE + ": colour: is not a known field (known: " + String.join(", ", PersonaReader.TOP_LEVEL)
                                + "); put custom data under 'extensions'",
                        FILE + ": system-prompt: is given twice (also as 'system-prompt'); keep one",
                        FILE + ": name: is required",
                        FILE + ": id: must be 1-64 lower-case letters, digits or dashes, got 'Not An Id'",
                        FILE + ": description: must be text, got the number 42",
                        FILE + ": style: must be a list of text, got text 'just one string'",
                        FILE + ": traits.verbosity: must be within [0, 1], got 1.4",
                        FILE + ": traits.warmth.colour: is not a known field (known: value, evolvable, min, max)",
                        FILE + ": traits.warmth.evolvable: must be true or false, got 'sometimes'",
                        FILE + ": traits.humor.min: must not exceed max (0.5), got 0.6",
                        FILE
                                + ": traits.curiosity: must be a number in [0, 1] or a mapping {value, evolvable, min, max}, "
                                + "got text 'high'",
                        FILE
                                + ": traits.Bad_Name: trait names are 1-32 lower-case letters, digits or dashes starting with a letter",
                        FILE + ": greetings[0]: must not be blank",
                        FILE + ": greetings[1]: must be text, got the number 7",
                        FILE + ": examples[0][0].role: must be 'user' or 'assistant', got 'bot'",
                        FILE + ": examples[0][1].text: is required",
                        FILE + ": examples[1]: is an empty conversation; give at least one turn or remove it",
                        FILE + ": examples[2]: must be a list of turns {role, text}, got text 'not a list'",
                        FILE
                                + ": knowledge[0]: knowledge pack ids are lower-case letters, digits and dashes, got 'Finance!'",
                        FILE + ": lore[0].keys: is empty and the entry is not constant, so it can never activate; "
                                + "add keys or set 'constant: true'",
                        FILE + ": lore[1].logic: must be one of and-any, not-all, not-any, and-all, got 'sometimes'",
                        FILE + ": lore[1].insertion-order: must be a whole number, got 'first'",
                        FILE + ": model.temperature: must be a number within [0, 2], got 3",
                        FILE + ": avatar: must be the name of an image file beside persona.yaml, e.g. avatar.png, "
                                + "got '../../etc/passwd'",
                        FILE + ": extensions: must be a mapping of namespaced keys, got a list");
        assertThat(e).hasMessageStartingWith("personality document has 25 problems: " + FILE + ": colour:");
    }

    @Test
    void decode_traitValueOutsideItsOwnBounds_isReported() {
        assertThatThrownBy(() -> codec.decode(
                        FILE, "name: Zen\ntraits:\n  warmth: {value: 0.9, max: 0.8}\n", Optional.empty(), Map.of()))
                .isInstanceOf(InvalidPersonalityException.class)
                .hasMessageEndingWith("traits.warmth.value: must be within its bounds [0.0, 0.8], got 0.9");
    }

    @Test
    void decode_malformedYaml_reportsLineAndColumn() {
        InvalidPersonalityException e = catchThrowableOfType(
                InvalidPersonalityException.class,
                () -> codec.decode(FILE, "name: Zen\ntraits: [unclosed\n", Optional.empty(), Map.of()));

        assertThat(e.bundleProblems()).singleElement().satisfies(problem -> {
            assertThat(problem.field()).isEqualTo("(document)");
            assertThat(problem.message()).startsWith("is not valid YAML: line ");
        });
    }

    @Test
    void decode_truncatedDocument_isReportedNotThrownRaw() {
        String truncated = FULL.substring(0, FULL.indexOf("examples:") + 30);

        assertThatThrownBy(() -> codec.decode(FILE, truncated, Optional.empty(), Map.of()))
                .isInstanceOf(InvalidPersonalityException.class)
                .hasMessageContaining(FILE + ": ");
    }

    @Test
    void decode_duplicateKey_isReported() {
        assertThatThrownBy(() -> codec.decode(FILE, "name: A\nname: B\n", Optional.empty(), Map.of()))
                .isInstanceOf(InvalidPersonalityException.class)
                .hasMessageContaining("(document): is not valid YAML: line 2")
                .hasMessageContaining("Duplicate field 'name'");
    }

    @Test
    void decode_notAMapping_saysWhatIsExpected() {
        assertThatThrownBy(() -> codec.decode(FILE, "- a\n- b\n", Optional.empty(), Map.of()))
                .isInstanceOf(InvalidPersonalityException.class)
                .hasMessageEndingWith(
                        FILE + ": (document): must be a mapping of fields (name, description, traits, ...), "
                                + "got a list");
        assertThatThrownBy(() -> codec.decode(FILE, "", Optional.empty(), Map.of()))
                .isInstanceOf(InvalidPersonalityException.class)
                .hasMessageEndingWith("got nothing");
    }

    @Test
    void decode_aliasBomb_isRefusedNamingTheFirstAlias() {
        StringBuilder bomb = new StringBuilder("name: Bomb\nextensions:\n  a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            char previous = (char) (c - 1);
            bomb.append("  ")
                    .append(c)
                    .append(": &")
                    .append(c)
                    .append(" [")
                    .append(String.join(",", java.util.Collections.nCopies(10, "*" + previous)))
                    .append("]\n");
        }

        // Jackson would read each alias as its anchor's name; the host refuses aliases instead of misreading them.
        assertThatThrownBy(() -> codec.decode(FILE, bomb.toString(), Optional.empty(), Map.of()))
                .hasMessageContaining("is not valid YAML: line 4")
                .hasMessageContaining("YAML aliases (*a) are not accepted");
    }

    @Test
    void decode_deeplyNestedExtensions_isRefused() {
        String deep = "name: Deep\nextensions: {x: " + "[".repeat(5000) + "]".repeat(5000) + "}\n";

        assertThatThrownBy(() -> codec.decode(FILE, deep, Optional.empty(), Map.of()))
                .isInstanceOf(InvalidPersonalityException.class)
                .hasMessageContaining("(document): is not valid YAML");
    }

    @Test
    void decode_oversizedDocument_isRefusedBeforeParsing() {
        String huge = "name: Big\ndescription: " + "x".repeat(PersonaCodec.MAX_DOCUMENT_CHARS) + "\n";

        assertThatThrownBy(() -> codec.decode(FILE, huge, Optional.empty(), Map.of()))
                .isInstanceOf(InvalidPersonalityException.class)
                .hasMessageEndingWith("(document): is " + huge.length() + " characters; the limit is "
                        + PersonaCodec.MAX_DOCUMENT_CHARS);
    }

    @Test
    void decode_invalidUtf8_isReported() {
        byte[] bytes = {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xC3, (byte) 0x28};

        assertThatThrownBy(() -> codec.decode(FILE, bytes, Optional.empty(), Map.of()))
                .isInstanceOf(InvalidPersonalityException.class)
                .hasMessageEndingWith(FILE + ": (document): is not valid UTF-8 text; save it as UTF-8");
    }

    @Test
    void load_bundleDirectory_readsPromptFileAndChecksAvatar(@TempDir Path root) throws Exception {
        Path dir = Files.createDirectories(root.resolve("zen"));
        Files.writeString(dir.resolve("persona.yaml"), "name: Zen\navatar: avatar.png\n");
        Files.writeString(dir.resolve("prompt.md"), "You are {{char}}.\nLong prompt.\n");
        Files.write(dir.resolve("avatar.png"), new byte[] {1, 2, 3});

        Personality p = codec.load(dir, "personalities/zen/persona.yaml");

        assertThat(p.id()).isEqualTo(PersonalityId.of("zen"));
        assertThat(p.systemPrompt()).isEqualTo("You are {{char}}.\nLong prompt.\n");
        assertThat(p.avatar()).contains("avatar.png");
    }

    @Test
    void load_bundleDirectory_reportsIdMismatchPromptClashAndMissingAvatar(@TempDir Path root) throws Exception {
        Path dir = Files.createDirectories(root.resolve("zen"));
        Files.writeString(
                dir.resolve("persona.yaml"), "id: zen-master\nname: Zen\nsystem-prompt: inline\navatar: me.png\n");
        Files.writeString(dir.resolve("prompt.md"), "file");

        InvalidPersonalityException e = catchThrowableOfType(
                InvalidPersonalityException.class, () -> codec.load(dir, "personalities/zen/persona.yaml"));

        assertThat(e.problems())
                .containsExactly(
                        "personalities/zen/persona.yaml: id: must match the id 'zen' given by where the document lives (its directory, "
                                + "plugin bundle or URL), got 'zen-master'; change one of them or remove the id field",
                        "personalities/zen/persona.yaml: system-prompt: is set here and in prompt.md beside the document; "
                                + "keep one of them",
                        "personalities/zen/persona.yaml: avatar: names 'me.png' but no such file is beside the document; "
                                + "add the file or remove the field");
    }

    @Test
    void load_directoryWithoutDocument_saysSo(@TempDir Path root) throws Exception {
        Path dir = Files.createDirectories(root.resolve("empty"));

        assertThatThrownBy(() -> codec.load(dir, "personalities/empty/persona.yaml"))
                .isInstanceOf(InvalidPersonalityException.class)
                .hasMessageEndingWith("personalities/empty/persona.yaml: (document): is missing; "
                        + "a bundle directory needs a persona.yaml");
    }

    @Test
    void save_thenLoad_roundTripsAndLeavesOtherFilesAlone(@TempDir Path root) throws Exception {
        Path dir = root.resolve("zen");
        Files.createDirectories(dir);
        Files.write(dir.resolve("avatar.png"), new byte[] {9});
        Personality p = full();

        codec.save(p, dir);
        byte[] first = Files.readAllBytes(dir.resolve("persona.yaml"));
        Personality loaded = codec.load(dir, "zen");
        codec.save(loaded, dir);

        assertThat(loaded).isEqualTo(p);
        assertThat(Files.readAllBytes(dir.resolve("persona.yaml"))).isEqualTo(first);
        assertThat(Files.readAllBytes(dir.resolve("avatar.png"))).containsExactly(9);
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("persona.yaml", "avatar.png");
        }
    }

    @Test
    void decode_pluginBundle_usesBundleIdAndFiles() {
        PersonalityBundle bundle = new PersonalityBundle(
                "sage",
                "name: Sage\navatar: sage.png\n",
                Map.of("sage.png", new byte[] {1}, "prompt.md", "Be {{char}}.".getBytes(StandardCharsets.UTF_8)));

        Personality p = codec.decode("plugin:acme/sage", bundle);

        assertThat(p.id()).isEqualTo(PersonalityId.of("sage"));
        assertThat(p.systemPrompt()).isEqualTo("Be {{char}}.");
        assertThat(p.avatar()).contains("sage.png");
    }

    @Test
    void decode_pluginBundleWithOtherDocumentId_namesThePlugin() {
        PersonalityBundle bundle = new PersonalityBundle("sage", "id: other\nname: Sage\n", Map.of());

        assertThatThrownBy(() -> codec.decode("plugin:acme/sage", bundle))
                .isInstanceOf(InvalidPersonalityException.class)
                .hasMessageContaining("plugin:acme/sage: id: must match the id 'sage'");
    }

    private static Personality withoutAvatar(Personality p) {
        return new Personality(
                p.id(),
                p.name(),
                p.description(),
                p.summary(),
                p.scenario(),
                p.voice(),
                p.style(),
                p.values(),
                p.traits(),
                p.systemPrompt(),
                p.postHistoryInstructions(),
                p.greetings(),
                p.examples(),
                p.knowledge(),
                p.lore(),
                p.creatorNotes(),
                p.tags(),
                p.creator(),
                p.characterVersion(),
                p.model(),
                Optional.empty(),
                p.extensions());
    }
}
