package dev.nexus.host.interchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.api.knowledge.LoreEntry;
import dev.nexus.api.knowledge.LoreEntry.SelectiveLogic;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.persona.ExampleTurn;
import dev.nexus.host.persona.Personality;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CardImportTest {

    private final Interchange interchange = new Interchange(Fixtures.LIMITS);

    private Imported load(String file) {
        return interchange.importBytes(Fixtures.resource(file), file);
    }

    @Test
    void aNameOverTheEditingLimit_isCut_withAWarningNamingTheField() {
        String longName = "N".repeat(10_000);
        Imported imported = interchange.importBytes(
                Fixtures.utf8("{\"name\": \"" + longName + "\", \"description\": \"d\", \"first_mes\": \"Hi\"}"),
                "long.json");

        assertThat(imported.personality().name()).hasSize(dev.nexus.host.persona.Personality.MAX_NAME_CHARS);
        assertThat(imported.warnings())
                .anySatisfy(w -> assertThat(w).startsWith("name: 10000 characters is over the limit of 120"));
    }

    @Test
    void importBytes_sillyTavernV2Card_mapsEveryModelledField() {
        Imported imported = load("st-v2-mirela.json");
        Personality p = imported.personality();

        assertThat(imported.format()).isEqualTo(SourceFormat.CHARACTER_CARD_V2);
        assertThat(p.id().value()).isEqualTo("mirela-voss");
        assertThat(p.name()).isEqualTo("Mirela Voss");
        assertThat(p.description()).startsWith("{{char}} is the harbour-master").contains("港語", "Добрый прилив", "🌊");
        assertThat(p.summary()).startsWith("Patient, dry");
        assertThat(p.scenario()).contains("{{user}} has just docked");
        assertThat(p.greetings()).hasSize(8);
        assertThat(p.greetings().getFirst()).startsWith("*The fog parts");
        assertThat(p.greetings().get(4)).startsWith("「潮が良いですね」");
        assertThat(p.examples()).hasSize(2);
        assertThat(p.examples().get(1))
                .extracting(ExampleTurn::role)
                .containsExactly("user", "assistant", "user", "assistant");
        assertThat(p.systemPrompt()).startsWith("{{original}}\nWrite {{char}}");
        assertThat(p.postHistoryInstructions()).startsWith("{{original}}");
        assertThat(p.creatorNotes()).startsWith("Made for slow-burn");
        assertThat(p.tags()).containsExactly("Female", "OC", "Fantasy", "Slow burn", "港", "🌊");
        assertThat(p.creator()).isEqualTo("tidewright");
        assertThat(p.characterVersion()).isEqualTo("1.3");
        assertThat(p.extensions())
                .containsEntry("world", "Saltreach")
                .containsEntry("talkativeness", "0.5")
                .containsKey("depth_prompt");
    }

    @Test
    void importBytes_lorebookEntries_mapKeysLogicRegexAndSillyTavernExtras() {
        List<LoreEntry> lore = load("st-v2-mirela.json").personality().lore();

        assertThat(lore).hasSize(6);
        LoreEntry regex = lore.get(1);
        assertThat(regex.useRegex()).isTrue();
        assertThat(regex.keys()).containsExactly("/\\bharbou?r[- ]?master\\b/i", "/salt\\s*reach/i");
        assertThat(regex.position()).isEqualTo("after_char");
        assertThat(regex.wholeWords()).isTrue();
        assertThat(regex.insertionOrder()).isEqualTo(90);
        assertThat(regex.extensions()).containsEntry("probability", 80).containsEntry("position", 1);
        LoreEntry eastern = lore.get(2);
        assertThat(eastern.name()).isEqualTo("Eastern trade");
        assertThat(eastern.secondaryKeys()).containsExactly("ledger", "captain");
        assertThat(eastern.selective()).isTrue();
        assertThat(eastern.logic()).isEqualTo(SelectiveLogic.AND_ALL);
        assertThat(eastern.caseSensitive()).isTrue();
        assertThat(eastern.extensions()).containsEntry("group", "trade").containsEntry("group_weight", 60);
        assertThat(lore.get(3).enabled()).isFalse();
        assertThat(lore.get(3).logic()).isEqualTo(SelectiveLogic.NOT_ANY);
        assertThat(lore.get(4).constant()).isTrue();
        assertThat(lore.get(4).extensions()).containsEntry("ignore_budget", true);
    }

    @Test
    void importBytes_enabledEntryWithoutKeys_isImportedDisabledWithAWarning() {
        Imported imported = load("st-v2-mirela.json");

        LoreEntry vectorOnly = imported.personality().lore().get(5);
        assertThat(vectorOnly.enabled()).isFalse();
        assertThat(vectorOnly.extensions()).containsEntry("vectorized", true);
        assertThat(imported.warnings()).anyMatch(w -> w.contains("Vector-only memory") && w.contains("no keys"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void importBytes_keylessActivateEntry_staysEnabled_andExportsAsWritten() {
        for (String spec : List.of(
                "{\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\"",
                "{\"spec\":\"chara_card_v3\",\"spec_version\":\"3.0\"")) {
            byte[] card = Fixtures.utf8(
                    spec + ",\"data\":{\"name\":\"Ilse\",\"character_book\":{\"extensions\":{},\"entries\":["
                            + "{\"keys\":[],\"content\":\"@@activate\\nThe wind never stops.\",\"enabled\":true,\"insertion_order\":100,"
                            + "\"use_regex\":true,\"extensions\":{}}]}}}");

            Imported imported = interchange.importBytes(card, "ilse.json");

            LoreEntry wind = imported.personality().lore().getFirst();
            assertThat(wind.enabled()).as(spec).isTrue();
            assertThat(imported.warnings()).as(spec).noneMatch(w -> w.contains("imported disabled"));
            Map<String, Object> root = (Map<String, Object>) Fixtures.tree(interchange
                    .export(
                            imported.personality(),
                            Optional.empty(),
                            spec.contains("v3") ? ExportFormat.CCV3 : ExportFormat.CCV2)
                    .bytes());
            Map<String, Object> book =
                    (Map<String, Object>) ((Map<String, Object>) root.get("data")).get("character_book");
            Map<String, Object> exported = (Map<String, Object>) ((List<Object>) book.get("entries")).getFirst();
            assertThat(exported)
                    .as(spec)
                    .doesNotContainKey("constant")
                    .containsEntry("enabled", true)
                    .containsEntry("content", "@@activate\nThe wind never stops.");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void importBytes_textBooleansAndNumbers_areReadWithAWarning_andExportedAsWritten() {
        byte[] card = Fixtures.utf8("{\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\",\"data\":{\"name\":\"Ilse\","
                + "\"character_book\":{\"extensions\":{},\"entries\":[{\"keys\":[\"tower\"],\"content\":\"Glass.\","
                + "\"enabled\":\"true\",\"constant\":1,\"insertion_order\":\"50\",\"extensions\":{}}]}}}");

        Imported imported = interchange.importBytes(card, "ilse.json");

        LoreEntry tower = imported.personality().lore().getFirst();
        assertThat(tower.enabled()).isTrue();
        assertThat(tower.constant()).isTrue();
        assertThat(tower.insertionOrder()).isEqualTo(50);
        assertThat(imported.warnings())
                .anyMatch(w -> w.contains("entries[0].enabled' is the string \"true\""))
                .anyMatch(w -> w.contains("entries[0].constant' is the number 1"))
                .anyMatch(w -> w.contains("entries[0].insertion_order' is the string \"50\""));
        Map<String, Object> exported = (Map<String, Object>) Fixtures.tree(interchange
                .export(imported.personality(), Optional.empty(), ExportFormat.CCV2)
                .bytes());
        Map<String, Object> original = (Map<String, Object>) Fixtures.tree(card);
        assertThat(((Map<String, Object>) exported.get("data")).get("character_book"))
                .isEqualTo(((Map<String, Object>) original.get("data")).get("character_book"));
    }

    @Test
    void importBytes_loreEntryOverTheOneLimit_isRefusedNamingIt() {
        String longText = "x".repeat(dev.nexus.host.persona.LoreCheck.MAX_CONTENT_CHARS + 1);
        byte[] card = Fixtures.utf8("{\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\",\"data\":{\"name\":\"Ilse\","
                + "\"character_book\":{\"extensions\":{},\"entries\":[{\"keys\":[\"a\"],\"content\":\"" + longText
                + "\",\"enabled\":true,\"insertion_order\":1,\"extensions\":{}}]}}}");

        assertThatThrownBy(() -> interchange.importBytes(card, "ilse.json"))
                .isInstanceOf(dev.nexus.host.InvalidInputException.class)
                .hasMessageContaining("'data.character_book.entries[0].content' has 100001 characters")
                .hasMessageContaining("lore entry limit of 100000");
    }

    @Test
    void importBytes_cardWithoutTraits_getsDefaultTraitsMarkedAsDefaults() {
        Personality p = load("st-v2-mirela.json").personality();

        assertThat(p.traits().values())
                .containsOnlyKeys(NativeFields.DEFAULT_TRAITS)
                .allSatisfy((name, v) -> assertThat(v).isEqualTo(0.5));
        assertThat(p.extensions()).containsEntry(NativeFields.DEFAULT_TRAITS_KEY, NativeFields.DEFAULT_TRAITS);
    }

    @Test
    void importBytes_v3Card_keepsV3FieldsAndStripsDecoratorsFromContent() {
        Imported imported = load("v3-kaito.json");
        Personality p = imported.personality();

        assertThat(imported.format()).isEqualTo(SourceFormat.CHARACTER_CARD_V3);
        assertThat(p.lore().getFirst().id()).isEqualTo("e-teahouse");
        assertThat(p.lore().getFirst().content())
                .isEqualTo(
                        "The Aranami teahouse has stood at the river bend for 200 years; {{char}} is its fifth master.");
        assertThat(p.lore().getFirst().priority()).isEqualTo(5);
        assertThat(p.lore().get(1).id()).isEqualTo("7");
        assertThat(p.lore().get(1).useRegex()).isTrue();
        @SuppressWarnings("unchecked")
        Map<String, Object> card = (Map<String, Object>) p.extensions().get(CardReader.BOOKKEEPING);
        assertThat(card.get("v3"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsKeys(
                        "assets",
                        "nickname",
                        "creator_notes_multilingual",
                        "source",
                        "group_only_greetings",
                        "creation_date",
                        "modification_date");
        assertThat(card.get("root")).isEqualTo(Map.of("x_exporter", "CardForge 2.1"));
    }

    @Test
    void importBytes_v1CardWithLegacyMacros_normalisesThemToCharAndUser() {
        Imported imported = load("v1-old-tom.json");
        Personality p = imported.personality();

        assertThat(imported.format()).isEqualTo(SourceFormat.CHARACTER_CARD_V1);
        assertThat(p.description())
                .isEqualTo("{{char}} is a retired lighthouse keeper who talks to {{user}} about storms.");
        assertThat(p.greetings()).containsExactly("*{{char}} lifts his mug at {{user}}.* Evenin'.");
        assertThat(p.examples())
                .containsExactly(
                        List.of(
                                new ExampleTurn("user", "Tell me about the big storm."),
                                new ExampleTurn("assistant", "Which one? There were three.")),
                        List.of(
                                new ExampleTurn("user", "Do you miss it?"),
                                new ExampleTurn("assistant", "Every night.")));
    }

    @Test
    void importBytes_chubCardWithNullBookAndEmptyRootName_readsDataFirst() {
        Personality p = load("chub-v2-nessa.json").personality();

        assertThat(p.name()).isEqualTo("Nessa Quickfingers");
        assertThat(p.lore()).isEmpty();
        assertThat(p.extensions()).containsKey("chub");
    }

    @Test
    void importBytes_cardCreatorNotes_neverReachPromptFields() {
        Personality p = load("st-v2-mirela.json").personality();

        assertThat(List.of(p.description(), p.summary(), p.scenario(), p.systemPrompt(), p.postHistoryInstructions()))
                .noneMatch(text -> text.contains("slow-burn harbour intrigue"));
    }

    @Test
    void importBytes_pngWithBothChunks_prefersCcv3AndReturnsTheImageAsAvatar() {
        byte[] v2 = Fixtures.utf8(
                "{\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\",\"data\":{\"name\":\"From Chara\"}}");
        byte[] v3 = Fixtures.utf8(
                "{\"spec\":\"chara_card_v3\",\"spec_version\":\"3.0\",\"data\":{\"name\":\"From Ccv3\"}}");
        byte[] png = Fixtures.png(Fixtures.cardChunk("Chara", v2), Fixtures.cardChunk("CCV3", v3));

        Imported imported = interchange.importBytes(png, "card.png");

        assertThat(imported.format()).isEqualTo(SourceFormat.PNG);
        assertThat(imported.personality().name()).isEqualTo("From Ccv3");
        assertThat(imported.avatar().orElseThrow().bytes()).isEqualTo(Fixtures.png());
        assertThat(imported.avatar().orElseThrow().mediaType()).isEqualTo("image/png");
    }

    @Test
    void importBytes_pngWithBrokenCcv3ButGoodChara_fallsBackWithAWarning() {
        byte[] v2 =
                Fixtures.utf8("{\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\",\"data\":{\"name\":\"Fallback\"}}");
        byte[] png = Fixtures.png(Fixtures.textChunk("ccv3", "not base64 at all!"), Fixtures.cardChunk("chara", v2));

        Imported imported = interchange.importBytes(png, "card.png");

        assertThat(imported.personality().name()).isEqualTo("Fallback");
        assertThat(imported.warnings()).anyMatch(w -> w.contains("'ccv3' chunk could not be read"));
    }

    @Test
    void importBytes_pngWhoseCcv3ChunkIsJsonButNoCard_fallsBackToChara() {
        byte[] v2 =
                Fixtures.utf8("{\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\",\"data\":{\"name\":\"Fallback\"}}");
        byte[] notACard = Fixtures.utf8("{\"generator\":\"some-editor\",\"version\":3}");
        byte[] png = Fixtures.png(Fixtures.cardChunk("ccv3", notACard), Fixtures.cardChunk("chara", v2));

        Imported imported = interchange.importBytes(png, "card.png");

        assertThat(imported.personality().name()).isEqualTo("Fallback");
        assertThat(imported.warnings()).anyMatch(w -> w.contains("'ccv3' chunk could not be read"));
    }

    @Test
    void importBytes_charx_takesTheMainIconAsAvatarAndKeepsOtherAssets() {
        byte[] icon = Fixtures.png();
        byte[] happy = {1, 2, 3};
        String card = new String(Fixtures.resource("v3-kaito.json"), java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"uri\": \"ccdefault:\"", "\"uri\": \"embeded://assets/icon/images/main.png\"");
        byte[] charx = Fixtures.zip(Map.of(
                "card.json",
                Fixtures.utf8(card),
                "assets/icon/images/main.png",
                icon,
                "assets/emotion/images/happy.png",
                happy));

        Imported imported = interchange.importBytes(charx, "kaito.charx");

        assertThat(imported.format()).isEqualTo(SourceFormat.CHARX);
        assertThat(imported.avatar().orElseThrow().bytes()).isEqualTo(icon);
        Exported back = interchange.export(imported.personality(), imported.avatar(), ExportFormat.CHARX);
        CharxContainer.Read read = CharxContainer.read(back.bytes(), Fixtures.LIMITS);
        assertThat(read.files()).containsOnlyKeys("assets/icon/images/main.png", "assets/emotion/images/happy.png");
        assertThat(read.files().get("assets/emotion/images/happy.png")).isEqualTo(happy);
        assertThat(Fixtures.tree(read.card())).isEqualTo(Fixtures.tree(Fixtures.utf8(card)));
    }

    @Test
    void importBytes_cardWithoutName_isRefusedNamingTheField() {
        byte[] card = Fixtures.utf8("{\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\",\"data\":{\"name\":\"\"}}");

        assertThatThrownBy(() -> interchange.importBytes(card, "x.json"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'data.name' is empty");
    }

    @Test
    void importBytes_newerSpecVersion_importsWithAWarning() {
        byte[] card =
                Fixtures.utf8("{\"spec\":\"chara_card_v3\",\"spec_version\":\"3.4\",\"data\":{\"name\":\"Future\"}}");

        Imported imported = interchange.importBytes(card, "x.json");

        assertThat(imported.warnings()).anyMatch(w -> w.contains("3.4") && w.contains("newer"));
    }
}
