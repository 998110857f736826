package dev.nexus.host.interchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.knowledge.LoreEntry;
import dev.nexus.host.llm.ModelChoice;
import dev.nexus.host.persona.ExampleTurn;
import dev.nexus.host.persona.Personality;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.Trait;
import dev.nexus.host.persona.Traits;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RoundTripTest {

    private final Interchange interchange = new Interchange(Fixtures.LIMITS);

    @Test
    void ccv2Export_ofSillyTavernV2Card_writesBackEveryFieldUnchanged() {
        Imported imported = interchange.importBytes(Fixtures.resource("st-v2-mirela.json"), "st-v2-mirela.json");

        Exported exported = interchange.export(imported.personality(), Optional.empty(), ExportFormat.CCV2);

        assertThat(Fixtures.tree(exported.bytes())).isEqualTo(Fixtures.tree("st-v2-mirela.json"));
        assertThat(exported.warnings()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"v3-kaito.json", "chub-v2-nessa.json"})
    void sameVersionExport_writesBackEveryFieldUnchanged(String file) {
        Imported imported = interchange.importBytes(Fixtures.resource(file), file);
        ExportFormat format =
                imported.format() == SourceFormat.CHARACTER_CARD_V3 ? ExportFormat.CCV3 : ExportFormat.CCV2;

        Exported exported = interchange.export(imported.personality(), Optional.empty(), format);

        assertThat(Diff.of(Fixtures.tree(file), Fixtures.tree(exported.bytes())))
                .isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "st-v2-mirela.json, CCV2",
        "chub-v2-nessa.json, CCV2",
        "v3-kaito.json, CCV3",
        "v3-kaito.json, PNG",
        "v3-kaito.json, CHARX",
        "st-v2-mirela.json, NATIVE",
        "v3-kaito.json, NATIVE",
        "eliza-v1-orin.json, NATIVE",
    })
    void reimport_ofSameVersionExport_givesAnIdenticalPersonality(String file, ExportFormat format) {
        Imported first = interchange.importBytes(Fixtures.resource(file), file);

        Exported exported = interchange.export(first.personality(), first.avatar(), format);
        Imported second = interchange.importBytes(exported.bytes(), exported.fileName());

        assertThat(Diff.of(first.personality(), second.personality())).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void import_nativeYamlAndNativeJson_areReadByThePersonaCodec() {
        byte[] yaml = """
                id: calm
                name: Calm
                description: Unhurried.
                traits:
                  verbosity: {value: 0.2, evolvable: true}
                greetings: [Hello.]
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] json =
                "{\"id\":\"calm\",\"name\":\"Calm\",\"description\":\"Unhurried.\",\"traits\":{\"verbosity\":{\"value\":0.2,\"evolvable\":true}},\"greetings\":[\"Hello.\"]}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        Imported fromYaml = interchange.importBytes(yaml, "calm.yaml");
        Imported fromJson = interchange.importBytes(json, "upload");

        assertThat(fromYaml.format()).isEqualTo(SourceFormat.NATIVE);
        assertThat(fromJson.format()).isEqualTo(SourceFormat.NATIVE);
        assertThat(fromYaml.personality()).isEqualTo(fromJson.personality());
        assertThat(fromYaml.personality().traits().value("verbosity", 0)).isEqualTo(0.2);
        assertThat(new String(
                        interchange
                                .export(fromYaml.personality(), java.util.Optional.empty(), ExportFormat.NATIVE)
                                .bytes(),
                        java.nio.charset.StandardCharsets.UTF_8))
                .contains("name: Calm");
    }

    @ParameterizedTest
    @CsvSource({
        "st-v2-mirela.json, CCV3", "st-v2-mirela.json, PNG", "st-v2-mirela.json, CHARX",
        "chub-v2-nessa.json, PNG", "v1-old-tom.json, CCV2", "v1-old-tom.json, PNG",
        "eliza-v0-quill.json, CCV3", "eliza-v1-orin.json, PNG", "eliza-v2-vesper.json, CHARX",
    })
    void reimport_ofOtherVersionExport_keepsEveryValueAndEveryKeptField(String file, ExportFormat format) {
        Imported first = interchange.importBytes(Fixtures.resource(file), file);

        Exported exported = interchange.export(first.personality(), first.avatar(), format);
        Imported second = interchange.importBytes(exported.bytes(), exported.fileName());

        // Only the record of how fields were spelled in the first file may differ between versions.
        assertThat(Diff.of(Spelling.strip(first.personality()), Spelling.strip(second.personality())))
                .isEmpty();
    }

    @Test
    void pngExport_ofV2Card_backFillsChunkThatReadsAsTheV2Card() {
        Imported imported = interchange.importBytes(Fixtures.resource("st-v2-mirela.json"), "st-v2-mirela.json");

        Exported png = interchange.export(imported.personality(), Optional.empty(), ExportFormat.PNG);
        PngContainer.Read read = PngContainer.read(png.bytes(), Fixtures.LIMITS);

        Object chara = Fixtures.tree(PngContainer.decode(read.chara().orElseThrow(), "chara", Fixtures.LIMITS));
        assertThat(chara).isEqualTo(Fixtures.tree("st-v2-mirela.json"));
        Object ccv3 = Fixtures.tree(PngContainer.decode(read.ccv3().orElseThrow(), "ccv3", Fixtures.LIMITS));
        assertThat(ccv3)
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("spec", "chara_card_v3")
                .containsEntry("spec_version", "3.0");
    }

    @Test
    void pngExport_keepsTheAvatarsOtherChunks() {
        byte[] original = Fixtures.png(
                Fixtures.textChunk("Software", "TestPaint 1.0"),
                Fixtures.cardChunk("chara", Fixtures.resource("chub-v2-nessa.json")));
        Imported imported = interchange.importBytes(original, "nessa.png");

        Exported png = interchange.export(imported.personality(), imported.avatar(), ExportFormat.PNG);

        assertThat(new String(png.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("TestPaint 1.0");
        assertThat(PngContainer.read(png.bytes(), Fixtures.LIMITS).avatar())
                .isEqualTo(imported.avatar().orElseThrow().bytes());
    }

    @Test
    void pngExport_ofWebpAvatar_convertsThePictureInsteadOfAPlaceholder() throws java.io.IOException {
        Imported imported = interchange.importBytes(Fixtures.resource("st-v2-mirela.json"), "st-v2-mirela.json");
        Avatar webp = Avatar.of(Fixtures.webp(30, 45, 0x20, 0x80, 0xc0));
        assertThat(webp.mediaType()).isEqualTo("image/webp");

        Exported png = interchange.export(imported.personality(), Optional.of(webp), ExportFormat.PNG);

        assertThat(png.warnings()).noneMatch(w -> w.contains("placeholder"));
        java.awt.image.BufferedImage picture = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(
                PngContainer.read(png.bytes(), Fixtures.LIMITS).avatar()));
        assertThat(picture.getWidth()).isEqualTo(30);
        assertThat(picture.getHeight()).isEqualTo(45);
        assertThat(picture.getRGB(7, 11) & 0xffffff).isEqualTo(0x2080c0);
        assertThat(interchange
                        .importBytes(png.bytes(), png.fileName())
                        .personality()
                        .name())
                .isEqualTo(imported.personality().name());
    }

    @Test
    void charxExport_keepsEveryAssetUriExactly_andWarnsAboutAFileTheArchiveLacks() {
        Imported imported = interchange.importBytes(Fixtures.resource("v3-kaito.json"), "v3-kaito.json");
        Avatar icon = Avatar.of(Fixtures.png());

        Exported charx = interchange.export(imported.personality(), Optional.of(icon), ExportFormat.CHARX);

        CharxContainer.Read read = CharxContainer.read(charx.bytes(), Fixtures.LIMITS);
        Object originalAssets = ((Map<?, ?>) ((Map<?, ?>) Fixtures.tree("v3-kaito.json")).get("data")).get("assets");
        assertThat(((Map<?, ?>) ((Map<?, ?>) Fixtures.tree(read.card())).get("data")).get("assets"))
                .isEqualTo(originalAssets);
        assertThat(read.files()).containsOnlyKeys("assets/icon/images/main.png");
        assertThat(charx.warnings())
                .singleElement()
                .asString()
                .contains("'happy'", "assets/emotion/images/happy.png", "not in the archive");

        Imported again = interchange.importBytes(charx.bytes(), charx.fileName());

        assertThat(again.avatar().orElseThrow().bytes()).isEqualTo(icon.bytes());
        assertThat(again.warnings()).anyMatch(w -> w.contains("assets/emotion/images/happy.png"));
        Exported twice = interchange.export(again.personality(), again.avatar(), ExportFormat.CHARX);
        assertThat(((Map<?, ?>) ((Map<?, ?>) Fixtures.tree(CharxContainer.read(twice.bytes(), Fixtures.LIMITS)
                                        .card()))
                                .get("data"))
                        .get("assets"))
                .isEqualTo(originalAssets);
    }

    @Test
    void export_ofNativePersonality_reimportsIdentically() {
        Personality native_ = new Personality(
                PersonalityId.of("zen"),
                "Zen Engineer",
                "Calm senior engineer.",
                "patient",
                "A code review.",
                "calm, precise",
                List.of("short sentences", "no jargon"),
                List.of("clarity"),
                Traits.of(List.of(Trait.of("warmth", 0.7), new Trait("verbosity", 0.2, false, 0.1, 0.5))),
                "You are {{char}}. {{original}}",
                "Stay on topic.",
                List.of("Hello.", "Hi again."),
                List.of(List.of(new ExampleTurn("user", "Why?"), new ExampleTurn("assistant", "Because."))),
                List.of("software"),
                List.of(LoreEntry.simple("k1", List.of("deploy"), "Deploys happen Fridays.")),
                "notes",
                List.of("tech"),
                "me",
                "1.0",
                Optional.of(new ModelChoice("ollama", "llama3", Optional.of(0.3))),
                Optional.of("avatar.png"),
                Map.of("x-custom", Map.of("a", 1)));

        for (ExportFormat format :
                List.of(ExportFormat.CCV2, ExportFormat.CCV3, ExportFormat.PNG, ExportFormat.CHARX)) {
            Exported exported = interchange.export(native_, Optional.empty(), format);
            Personality back = interchange
                    .importBytes(exported.bytes(), exported.fileName())
                    .personality();
            assertThat(Diff.of(native_, Spelling.strip(back)))
                    .as(format.label())
                    .isEmpty();
        }
    }

    /** Removes the record of original spellings, the one thing allowed to differ across card versions. */
    static final class Spelling {
        static Personality strip(Personality p) {
            LinkedHashMap<String, Object> extensions = new LinkedHashMap<>(p.extensions());
            if (extensions.get(CardReader.BOOKKEEPING) instanceof Map<?, ?> card) {
                LinkedHashMap<String, Object> c = new LinkedHashMap<>(LoreMapping.castMap(card));
                c.remove("originals");
                if (c.isEmpty()) {
                    extensions.remove(CardReader.BOOKKEEPING);
                } else {
                    extensions.put(CardReader.BOOKKEEPING, c);
                }
            }
            List<LoreEntry> lore = p.lore().stream().map(Spelling::strip).toList();
            Personality q = Bookkeeping.withExtensions(p, extensions);
            return new Personality(
                    q.id(),
                    q.name(),
                    q.description(),
                    q.summary(),
                    q.scenario(),
                    q.voice(),
                    q.style(),
                    q.values(),
                    q.traits(),
                    q.systemPrompt(),
                    q.postHistoryInstructions(),
                    q.greetings(),
                    q.examples(),
                    q.knowledge(),
                    lore,
                    q.creatorNotes(),
                    q.tags(),
                    q.creator(),
                    q.characterVersion(),
                    q.model(),
                    q.avatar(),
                    q.extensions());
        }

        static LoreEntry strip(LoreEntry e) {
            LinkedHashMap<String, Object> extensions = new LinkedHashMap<>(e.extensions());
            if (extensions.get(LoreMapping.BOOKKEEPING) instanceof Map<?, ?> entry) {
                LinkedHashMap<String, Object> b = new LinkedHashMap<>(LoreMapping.castMap(entry));
                b.remove("originals");
                if (b.isEmpty()) {
                    extensions.remove(LoreMapping.BOOKKEEPING);
                } else {
                    extensions.put(LoreMapping.BOOKKEEPING, b);
                }
            }
            return new LoreEntry(
                    e.id(),
                    e.name(),
                    e.keys(),
                    e.secondaryKeys(),
                    e.selective(),
                    e.logic(),
                    e.content(),
                    e.constant(),
                    e.enabled(),
                    e.insertionOrder(),
                    e.priority(),
                    e.caseSensitive(),
                    e.wholeWords(),
                    e.useRegex(),
                    e.position(),
                    extensions);
        }
    }
}
