package dev.nexus.host.knowledge;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.api.knowledge.KnowledgePack;
import dev.nexus.api.knowledge.LoreEntry;
import dev.nexus.host.ConflictException;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.conversation.RecallRequest;
import dev.nexus.host.conversation.RecalledItem;
import dev.nexus.host.llm.WordEmbedder;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KnowledgeServiceTest {

    private static final String DATABASES = "dev.nexus.host.testing.TestDatabases#all";
    private static final WordEmbedder WORDS = new WordEmbedder();

    @TempDir
    Path dir;

    private KnowledgeService service(TestDatabase db, List<KnowledgeService.ProvidedPack> plugins) {
        KnowledgeService service = new KnowledgeService(
                KnowledgeSettings.defaults(), dir, () -> plugins, db.database(), WORDS, Clock.systemUTC());
        service.reload();
        return service;
    }

    private static List<String> recall(KnowledgeService service, String personality, String message) {
        RecallRequest request =
                new RecallRequest(PersonalityId.of(personality), "u", "c", message, List.of(), List.of(), 1000);
        return service.recall(request, Optional.of(WORDS.embed(message)), 1000).items().stream()
                .map(RecalledItem::id)
                .toList();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void reload_readsYamlAndJsonFiles_andReportsABadFileWithoutLosingTheOthers(TestDatabase db) throws IOException {
        Files.writeString(
                dir.resolve("a.yaml"), "id: sailing\nname: Sailing\ntopics: [boat]\nfacts: [Port is left.]\n");
        Files.writeString(
                dir.resolve("b.json"),
                "{\"id\": \"tea\", \"name\": \"Tea\", \"entries\": [{\"keys\": [\"oolong\"], \"content\": \"Oolong is partly oxidised.\"}]}");
        Files.writeString(
                dir.resolve("c.yaml"), "id: broken\nname: Broken\nentries:\n  - keys: [x]\n    content: \"\"\n");
        Files.writeString(dir.resolve("d.json"), "{\"id\": \"trunc");
        Files.writeString(dir.resolve("notes.txt"), "ignored");

        KnowledgeService service = service(db, List.of());

        assertThat(service.packs()).extracting(KnowledgeService.PackSummary::id).containsExactly("sailing", "tea");
        assertThat(service.problems())
                .anySatisfy(p -> assertThat(p)
                        .startsWith("c.yaml: ")
                        .contains("entries[0] content must be 1-100000 characters"));
        assertThat(service.problems())
                .anySatisfy(p -> assertThat(p).startsWith("d.json: ").contains("ends before it is complete"));
        // The topic makes the pack a candidate; its fact still has to be relevant to the message (issue 12).
        assertThat(recall(service, "sage", "is a boat fun")).isEmpty();
        assertThat(recall(service, "sage", "on a boat, is port left?")).containsExactly("sailing#fact-0");
        assertThat(recall(service, "sage", "I like oolong")).containsExactly("tea/0");
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void importPack_storesIt_overridesAFilePack_andSurvivesARestart(TestDatabase db) throws IOException {
        Files.writeString(dir.resolve("tea.yaml"), "id: tea\nname: Tea from file\ntopics: [tea]\n");
        KnowledgeService service = service(db, List.of());

        KnowledgeService.PackSummary imported = service.importPack(
                "id: tea\nname: Tea imported\ntopics: [tea]\nfacts: [Green tea is not oxidised.]\n".getBytes(UTF_8),
                true);

        assertThat(imported.origin()).isEqualTo("imported");
        assertThat(imported.overrides()).containsExactly("file:tea.yaml");
        KnowledgeService restarted = service(db, List.of());
        assertThat(restarted.pack("tea").summary().name()).isEqualTo("Tea imported");
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void importPack_malformed_isRefusedNamingTheProblem_andNothingIsStored(TestDatabase db) {
        KnowledgeService service = service(db, List.of());

        assertThatThrownBy(() ->
                        service.importPack("{\"id\": \"x\", \"name\": \"X\", \"entries\": [".getBytes(UTF_8), false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("ends before it is complete");
        assertThatThrownBy(() -> service.importPack("{\"id\": \"Bad Id\", \"name\": \"X\"}".getBytes(UTF_8), false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("knowledge pack id must match");
        assertThatThrownBy(() -> service.importPack(
                        "{\"id\": \"x\", \"name\": \"X\", \"entries\": [{\"keys\": [\"/(oops/\"], \"content\": \"c\"}]}"
                                .getBytes(UTF_8),
                        false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("entries[0]: lore key '/(oops/' is not a valid regular expression");
        assertThatThrownBy(() -> service.importPack(
                        "{\"id\": \"x\", \"name\": \"X\", \"entries\": [{\"keys\": [\"a\"], \"content\": \"c\", \"logic\": \"maybe\"}]}"
                                .getBytes(UTF_8),
                        false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("logic must be one of and-any, not-all, not-any, and-all");
        assertThatThrownBy(() ->
                        service.importPack("{\"id\": \"x\", \"name\": \"X\", \"colour\": 1}".getBytes(UTF_8), false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown field 'colour'");
        assertThatThrownBy(() -> service.importPack("- just\n- a list\n".getBytes(UTF_8), true))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("must be a mapping");

        assertThat(service.packs()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void activation_alwaysAndNever_arePerPersonality_andPersist(TestDatabase db) throws IOException {
        Files.writeString(
                dir.resolve("tea.yaml"),
                "id: tea\nname: Tea\ntopics: [tea]\nfacts: [Steep green tea at 80 degrees.]\n");
        KnowledgeService service = service(db, List.of());

        service.activate("tea", "sage", "always");
        service.activate("tea", "jester", "never");

        assertThat(recall(service, "sage", "hello")).containsExactly("tea#fact-0");
        assertThat(recall(service, "jester", "steep green tea how hot")).isEmpty();
        assertThat(recall(service, "other", "steep green tea how hot")).containsExactly("tea#fact-0");
        assertThat(recall(service, "other", "some tea please"))
                .as("a topic alone injects no unrelated fact")
                .isEmpty();
        KnowledgeService restarted = service(db, List.of());
        assertThat(restarted.pack("tea").activations())
                .containsEntry("sage", "always")
                .containsEntry("jester", "never");

        restarted.deactivate("tea", "jester");
        assertThat(recall(restarted, "jester", "steep green tea how hot")).containsExactly("tea#fact-0");
        assertThatThrownBy(() -> restarted.activate("tea", "sage", "sometimes"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("mode must be 'always' or 'never'");
        assertThatThrownBy(() -> restarted.activate("coffee", "sage", "always"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no knowledge pack 'coffee'");
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void personalityLore_activatesInItsOwnTurnsOnly(TestDatabase db) {
        dev.nexus.host.persona.Personality base = dev.nexus.host.persona.Personality.minimal("bard", "Bard", "Sings");
        dev.nexus.host.persona.Personality bard = new dev.nexus.host.persona.Personality(
                base.id(),
                base.name(),
                base.description(),
                "",
                "",
                "",
                List.of(),
                List.of(),
                base.traits(),
                "",
                "",
                List.of(),
                List.of(),
                List.of(),
                List.of(
                        LoreEntry.simple("lute", List.of("lute"), "The bard's lute is called Aria."),
                        new LoreEntry(
                                "oath",
                                "oath",
                                List.of(),
                                List.of(),
                                false,
                                null,
                                "The bard never lies.",
                                true,
                                true,
                                1,
                                50,
                                false,
                                true,
                                false,
                                null,
                                java.util.Map.of())),
                "",
                List.of(),
                "",
                "",
                Optional.empty(),
                Optional.empty(),
                java.util.Map.of());
        var version = new dev.nexus.host.persona.PersonalityVersion(bard, 3, "api", java.time.Instant.EPOCH);
        KnowledgeService service = new KnowledgeService(
                KnowledgeSettings.defaults(),
                dir,
                List::of,
                db.database(),
                WORDS,
                id -> id.value().equals("bard") ? Optional.of(version) : Optional.empty(),
                Clock.systemUTC());
        service.reload();

        assertThat(recall(service, "bard", "play your lute")).containsExactly("bard/oath", "bard/lute");
        assertThat(recall(service, "bard", "hello")).containsExactly("bard/oath");
        assertThat(recall(service, "sage", "play your lute")).isEmpty();
        assertThat(service.loreCacheStats().hits()).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void pluginPacks_andLorebooks_areRegistered_andOnlyImportedOnesCanBeDeleted(TestDatabase db) {
        KnowledgePack fromPlugin = new KnowledgePack(
                "stars", "Stars", null, "science", List.of("star"), List.of("The Sun is a star."), List.of());
        KnowledgeService service = service(db, List.of(new KnowledgeService.ProvidedPack("astro-plugin", fromPlugin)));

        service.importLorebook(
                "eldoria",
                "Eldoria",
                List.of(LoreEntry.simple("1", List.of("Eldoria"), "Eldoria is a kingdom.")),
                "card:hero");

        assertThat(service.packs())
                .extracting(KnowledgeService.PackSummary::origin)
                .containsExactly("imported", "plugin");
        assertThat(recall(service, "sage", "tell me of Eldoria")).containsExactly("eldoria/1");
        assertThatThrownBy(() -> service.deleteImported("stars"))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("comes from plugin astro-plugin");
        assertThatThrownBy(() -> service.importLorebook("empty", "Empty", List.of(), "card:x"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("has no entries");
        service.deleteImported("eldoria");
        assertThat(service.packs()).extracting(KnowledgeService.PackSummary::id).containsExactly("stars");
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void lorebookBookSettings_areStoredWithThePack_andShapeItsActivation(TestDatabase db) throws IOException {
        KnowledgeService service = service(db, List.of());
        List<LoreEntry> entries = List.of(
                LoreEntry.simple("bessie", List.of("Bessie"), "Bessie is a cow and is friends with Rufus."),
                LoreEntry.simple("rufus", List.of("Rufus"), "Rufus is a dog."));

        service.register(
                new KnowledgePack("farm", "Farm", null, "lorebook", List.of(), List.of(), entries),
                "lorebook:farm.json",
                java.util.Map.of("recursive_scanning", false));
        Files.writeString(
                dir.resolve("deep.yaml"),
                "id: deep\nname: Deep\nbook: {scan_depth: 3}\n"
                        + "entries:\n  - keys: [castle]\n    content: The castle.\n");
        KnowledgeService restarted = service(db, List.of());

        assertThat(recall(restarted, "sage", "tell me about Bessie"))
                .as("recursive_scanning false, after a restart")
                .containsExactly("farm/bessie");
        RecallRequest deep = new RecallRequest(
                PersonalityId.of("sage"), "u", "c", "and then?", List.of("a castle", "b"), List.of(), 1000);
        assertThat(restarted.recall(deep, Optional.empty(), 1000).items())
                .extracting(RecalledItem::id)
                .as("the pack file's book scan_depth 3 reaches two messages back")
                .containsExactly("deep/0");
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void worldInfoDraws_replayFromTheSeed_andARegenerationDrawsAnew(TestDatabase db) {
        KnowledgeService service = service(db, List.of());
        List<LoreEntry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            entries.add(new LoreEntry(
                    "e" + i,
                    "e" + i,
                    List.of("omen"),
                    List.of(),
                    false,
                    LoreEntry.SelectiveLogic.AND_ANY,
                    "Omen " + i + ".",
                    false,
                    true,
                    100,
                    10,
                    false,
                    true,
                    false,
                    null,
                    java.util.Map.of("probability", 50)));
        }
        service.register(new KnowledgePack("omens", "Omens", null, "lorebook", List.of(), List.of(), entries), "test");
        RecallRequest first = new RecallRequest(
                PersonalityId.of("sage"),
                "u",
                "c-1",
                "an omen",
                List.of(),
                List.of(),
                1000,
                "normal",
                1,
                0,
                0,
                List.of());
        RecallRequest regenerated = new RecallRequest(
                PersonalityId.of("sage"),
                "u",
                "c-1",
                "an omen",
                List.of(),
                List.of(),
                1000,
                "regenerate",
                1,
                0,
                1,
                List.of());

        var once = service.recallNoted(first, 1000);
        var twice = service.recallNoted(first, 1000);
        var again = service.recallNoted(regenerated, 1000);

        assertThat(twice.items())
                .as("same conversation, position, kind and attempt: the same draws")
                .isEqualTo(once.items());
        assertThat(((java.util.Map<?, ?>) twice.notes().get("worldInfo")).get("seed"))
                .isEqualTo(((java.util.Map<?, ?>) once.notes().get("worldInfo")).get("seed"));
        assertThat(((java.util.Map<?, ?>) again.notes().get("worldInfo")).get("seed"))
                .as("a regeneration draws anew")
                .isNotEqualTo(((java.util.Map<?, ?>) once.notes().get("worldInfo")).get("seed"));
        assertThat((List<?>) ((java.util.Map<?, ?>) once.notes().get("worldInfo")).get("skipped"))
                .as("the entries that lost their roll are explained")
                .isNotEmpty()
                .allSatisfy(s ->
                        assertThat(s.toString()).contains("reason=probability").contains("rolled"));
    }
}
