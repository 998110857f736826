package dev.nexus.host.persona;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every personality shipped in the repository's {@code personalities/} loads cleanly and is worth shipping. */
class BundledPersonalitiesTest {

    private static final Path ROOT = Path.of("..", "personalities");
    private static final Path SCHEMA = Path.of("..", "docs", "persona.schema.json");
    private final PersonaCodec codec = new PersonaCodec();

    private List<Personality> bundled() throws IOException {
        List<Personality> all = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(ROOT)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                all.add(codec.load(dir, "personalities/" + dir.getFileName() + "/persona.yaml"));
            }
        }
        return all;
    }

    @Test
    void everyBundle_loadsWithoutProblems_andIncludesTheRequiredOnes() throws IOException {
        List<Personality> all = bundled();

        assertThat(all).hasSizeGreaterThanOrEqualTo(12);
        assertThat(all)
                .extracting(p -> p.id().value())
                .contains(
                        "zen-engineer",
                        "forensic-analyst",
                        "performance-engineer",
                        "database-specialist",
                        "security-guardian",
                        "creative-writer");
    }

    @Test
    void everyBundle_isComplete() throws IOException {
        for (Personality p : bundled()) {
            String id = p.id().value();
            assertThat(p.description()).as(id + " description").hasSizeGreaterThan(80);
            assertThat(p.voice()).as(id + " voice").isNotBlank();
            assertThat(p.style()).as(id + " style").hasSizeGreaterThanOrEqualTo(4);
            assertThat(p.values()).as(id + " values").hasSizeGreaterThanOrEqualTo(3);
            assertThat(p.greetings()).as(id + " greetings").isNotEmpty();
            assertThat(p.examples()).as(id + " examples").hasSizeGreaterThanOrEqualTo(2);
            p.examples()
                    .forEach(conversation -> assertThat(conversation)
                            .as(id + " example")
                            .extracting(ExampleTurn::role)
                            .containsSubsequence("user", "assistant"));
            assertThat(p.systemPrompt())
                    .as(id + " system prompt")
                    .containsIgnoringCase("{{char}}")
                    .containsIgnoringCase("{{user}}");
            assertThat(p.traits().all()).as(id + " traits").hasSizeGreaterThanOrEqualTo(10);
            assertThat(p.traits().all()).as(id + " evolvable traits").anySatisfy(trait -> {
                assertThat(trait.evolvable()).isTrue();
                assertThat(trait.max() - trait.min()).isLessThan(1.0);
            });
            // A pack that does not fit (career for a haiku poet) would only add off-topic facts, so
            // knowledge is optional; a pack that is named must be one that ships.
            assertThat(p.knowledge())
                    .as(id + " knowledge")
                    .allSatisfy(pack -> assertThat(pack).isIn("software-engineering", "personal-finance", "career"));
        }
    }

    @Test
    void traitVectors_areClearlyDifferent() throws IOException {
        List<Personality> all = bundled();
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                assertThat(distance(all.get(i).traits(), all.get(j).traits()))
                        .as(all.get(i).id() + " vs " + all.get(j).id())
                        .isGreaterThan(0.5);
            }
        }
    }

    @Test
    void renderedPersonaSections_areAllDifferent() throws IOException {
        PersonaPrompt prompt = new PersonaPrompt(new TraitRenderer());
        Set<String> trait = new HashSet<>();
        List<Personality> all = bundled();
        for (Personality p : all) {
            String section = prompt.section(p, "Ada", "");
            assertThat(section)
                    .as(p.id().value())
                    .doesNotContain("{{")
                    .contains(p.name())
                    .contains("How to respond:");
            trait.add(String.join("\n", new TraitRenderer().instructions(p.traits())));
        }
        assertThat(trait).hasSameSizeAs(all);
    }

    @Test
    void everyBundle_roundTripsThroughTheWriter() throws IOException {
        for (Personality p : bundled()) {
            String yaml = codec.encode(p);
            assertThat(codec.decode(p.id().value(), yaml, Optional.of(p.id()), Map.of()))
                    .isEqualTo(p);
        }
    }

    @Test
    void schema_parsesAndDeclaresExactlyTheFieldsTheCodecReads() throws IOException {
        JsonNode schema = new ObjectMapper().readTree(SCHEMA.toFile());

        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(names(schema.path("properties"))).containsExactlyElementsOf(PersonaReader.TOP_LEVEL);
        assertThat(names(schema.path("$defs").path("loreEntry").path("properties")))
                .containsExactlyElementsOf(PersonaReader.LORE_KEYS);
        assertThat(names(schema.at("/properties/model/properties")))
                .containsExactlyElementsOf(PersonaReader.MODEL_KEYS);
        assertThat(names(schema.at("/properties/traits/additionalProperties/oneOf/1/properties")))
                .containsExactlyElementsOf(PersonaReader.TRAIT_KEYS);
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static double distance(Traits a, Traits b) {
        double sum = 0;
        for (String name : Traits.WELL_KNOWN) {
            double d = a.value(name, 0.5) - b.value(name, 0.5);
            sum += d * d;
        }
        return Math.sqrt(sum);
    }
}
