package dev.nexus.host.interchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.api.knowledge.KnowledgePack;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.persona.ExampleTurn;
import dev.nexus.host.persona.Personality;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ElizaImportTest {

    private final Interchange interchange = new Interchange(Fixtures.LIMITS);

    private Imported load(String file) {
        return interchange.importBytes(Fixtures.resource(file), file);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> kept(Personality p) {
        return (Map<String, Object>) p.extensions().get(ElizaReader.EXTENSION_KEY);
    }

    @Test
    void importBytes_elizaV0_mapsBioLoreStyleExamplesAndKnowledge() {
        Imported imported = load("eliza-v0-quill.json");
        Personality p = imported.personality();

        assertThat(imported.format()).isEqualTo(SourceFormat.ELIZA_V0);
        assertThat(p.name()).isEqualTo("Quill");
        assertThat(p.systemPrompt()).isEqualTo("Roleplay as {{char}}, a meticulous archivist. Never invent citations.");
        assertThat(p.description().lines()).hasSize(3).first().asString().startsWith("Quill catalogues");
        assertThat(p.summary()).isEqualTo("meticulous, dry, curious, gentle");
        assertThat(p.values()).containsExactly("archives", "letters", "paleography", "library science");
        assertThat(p.style())
                .containsExactly(
                        "uses precise dates", "never uses emojis", "answers questions with a question when unsure");
        assertThat(p.examples().getFirst())
                .containsExactly(
                        new ExampleTurn("user", "Can you find a letter from 1893?"),
                        new ExampleTurn("assistant", "Which month? The Archive files by weather, not by date."));
        assertThat(p.examples()).hasSize(4);
        assertThat(p.examples().get(2))
                .containsExactly(new ExampleTurn(
                        "assistant",
                        "Found today: a grocery list from 1921. Eggs, string, 'forgiveness (ask Martha)'."));
        assertThat(p.lore())
                .hasSize(3)
                .allSatisfy(entry -> assertThat(entry.constant()).isTrue());
        // The character's model is kept in its extensions, never as an override the host may not serve (issue 12).
        assertThat(p.model()).isEmpty();
        KnowledgePack pack = imported.knowledgePacks().getFirst();
        assertThat(pack.id()).isEqualTo("quill-knowledge");
        assertThat(pack.facts())
                .containsExactly(
                        "The Archive of Small Things holds 40,000 letters.",
                        "Letters are stored in acid-free folders.");
        assertThat(p.knowledge()).containsExactly("quill-knowledge");
        assertThat(kept(p))
                .containsEntry("generation", "0.x")
                .containsKeys(
                        "clients",
                        "modelProvider",
                        "people",
                        "twitterProfile",
                        "knowledge",
                        "style",
                        "username",
                        "imageModelProvider");
        assertThat(kept(p).get("style")).isEqualTo(Map.of("post", List.of("short, wry observations")));
    }

    @Test
    void importBytes_elizaSecrets_areDroppedWithAWarningAndNeverKept() {
        Imported imported = load("eliza-v0-quill.json");

        assertThat(imported.warnings()).anyMatch(w -> w.contains("secrets were not imported"));
        assertThat(Fixtures.tree(interchange
                                .export(imported.personality(), Optional.empty(), ExportFormat.CCV3)
                                .bytes())
                        .toString())
                .doesNotContain("sk-not-real", "not-a-real-token", "secrets");
        assertThat(kept(imported.personality()).get("settings"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsKeys("voice", "model", "modelConfig")
                .doesNotContainKey("secrets");
    }

    @Test
    void importBytes_elizaV1_mapsNamedExamplesAndLoreObjects() {
        Imported imported = load("eliza-v1-orin.json");
        Personality p = imported.personality();

        assertThat(imported.format()).isEqualTo(SourceFormat.ELIZA_V1);
        assertThat(p.description()).isEqualTo("Orin navigates the airship Kestrel by starlight and stubbornness.");
        assertThat(p.examples().getFirst()).extracting(ExampleTurn::role).containsExactly("user", "assistant");
        assertThat(p.lore()).singleElement().satisfies(entry -> {
            assertThat(entry.keys()).containsExactly("Kestrel");
            assertThat(entry.content()).isEqualTo("The Kestrel is a three-envelope cargo airship.");
            assertThat(entry.extensions())
                    .containsEntry("vectorText", "the airship Kestrel")
                    .containsKey("metadata");
        });
        assertThat(kept(p))
                .containsEntry("generation", "1.x")
                .containsKeys("plugins", "templates", "settings")
                .doesNotContainKey("secrets");
        assertThat(imported.warnings()).anyMatch(w -> w.contains("knowledge file or directory reference"));
    }

    @Test
    void importBytes_elizaV2_mapsWrappedExamplesAndAgentNamePlaceholders() {
        Imported imported = load("eliza-v2-vesper.json");
        Personality p = imported.personality();

        assertThat(imported.format()).isEqualTo(SourceFormat.ELIZA_V2);
        assertThat(p.systemPrompt()).startsWith("{{char}} is an evening-radio host");
        assertThat(p.examples().get(0))
                .containsExactly(
                        new ExampleTurn("user", "Can you play something for my mom?"),
                        new ExampleTurn("assistant", "For your mom, always. What does she hum while cooking?"));
        assertThat(p.examples().get(1).get(1).role()).isEqualTo("assistant");
        assertThat(imported.knowledgePacks()).isEmpty();
        assertThat(kept(p)).containsEntry("generation", "2.x").containsEntry("advancedPlanning", true);
    }

    @Test
    void importBytes_elizaWithoutName_isRefused() {
        assertThatThrownBy(() -> interchange.importBytes(Fixtures.utf8("{\"name\":\"\",\"bio\":[\"x\"]}"), "e.json"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("has no 'name'");
    }

    @Test
    void importBytes_elizaExampleTextOfWrongType_namesThePath() {
        byte[] bad =
                Fixtures.utf8("{\"name\":\"A\",\"messageExamples\":[[{\"user\":\"A\",\"content\":{\"text\":5}}]]}");

        assertThatThrownBy(() -> interchange.importBytes(bad, "e.json"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'messageExamples[0][0].content.text' must be a string but is the number 5");
    }
}
