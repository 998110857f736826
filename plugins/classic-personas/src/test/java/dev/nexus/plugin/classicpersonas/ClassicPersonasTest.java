package dev.nexus.plugin.classicpersonas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.nexus.api.personality.PersonalityBundle;
import dev.nexus.api.personality.PersonalityProvider;
import dev.nexus.api.personality.PersonalityProviderContract;
import dev.nexus.api.testing.FakePluginContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract, plus a structural check of each document against docs/personality-format.md. The
 * integration test additionally reads every bundle with the host's own codec.
 */
class ClassicPersonasTest extends PersonalityProviderContract {

    private static final Set<String> FIELDS = Set.of(
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
    private static final Set<String> LORE_FIELDS = Set.of(
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
    private static final Set<String> STARTER_PACKS = Set.of("personal-finance", "software-engineering", "career");

    @Override
    protected PersonalityProvider newProvider() {
        return new ClassicPersonas();
    }

    @Test
    void personalities_areTheElevenClassics() {
        assertThat(bundles()).extracting(PersonalityBundle::id).containsExactlyElementsOf(ClassicPersonas.IDS);
    }

    @Test
    void everyDocument_usesOnlyDocumentedFieldsAndIsComplete() throws Exception {
        for (PersonalityBundle bundle : bundles()) {
            Map<String, Object> document = yaml(bundle);
            assertThat(FIELDS).as("fields of %s", bundle.id()).containsAll(document.keySet());
            assertThat(document)
                    .as(bundle.id())
                    .containsKeys(
                            "name",
                            "description",
                            "summary",
                            "voice",
                            "style",
                            "values",
                            "traits",
                            "system-prompt",
                            "greetings",
                            "examples",
                            "lore");
            assertThat((List<?>) document.get("greetings"))
                    .as("greetings of %s", bundle.id())
                    .hasSizeGreaterThanOrEqualTo(2);
            assertThat((List<?>) document.get("style"))
                    .as("style of %s", bundle.id())
                    .hasSizeGreaterThanOrEqualTo(4);
            assertThat(STARTER_PACKS)
                    .as("knowledge of %s", bundle.id())
                    .containsAll(strings(document.getOrDefault("knowledge", List.of())));
        }
    }

    @Test
    void everyTrait_isInRangeWithValidBounds() throws Exception {
        for (PersonalityBundle bundle : bundles()) {
            Map<?, ?> traits = (Map<?, ?>) yaml(bundle).get("traits");
            assertThat(traits).as("traits of %s", bundle.id()).hasSizeGreaterThanOrEqualTo(6);
            traits.forEach((name, spec) -> {
                String label = bundle.id() + " trait " + name;
                assertThat(name.toString()).as(label).matches("[a-z][a-z0-9-]{0,31}");
                if (spec instanceof Map<?, ?> map) {
                    assertThat(Set.of("value", "evolvable", "min", "max"))
                            .as(label)
                            .containsAll(strings(List.copyOf(map.keySet())));
                    double value = ((Number) map.get("value")).doubleValue();
                    double min = map.containsKey("min") ? ((Number) map.get("min")).doubleValue() : 0;
                    double max = map.containsKey("max") ? ((Number) map.get("max")).doubleValue() : 1;
                    assertThat(min).as(label).isBetween(0.0, max);
                    assertThat(max).as(label).isLessThanOrEqualTo(1.0);
                    assertThat(value).as(label).isBetween(min, max);
                } else {
                    assertThat(((Number) spec).doubleValue()).as(label).isBetween(0.0, 1.0);
                }
            });
        }
    }

    @Test
    void everyExample_alternatesUserAndAssistantTurns() throws Exception {
        for (PersonalityBundle bundle : bundles()) {
            List<?> examples = (List<?>) yaml(bundle).get("examples");
            assertThat(examples).as("examples of %s", bundle.id()).hasSizeGreaterThanOrEqualTo(2);
            for (Object conversation : examples) {
                List<?> turns = (List<?>) conversation;
                assertThat(turns).as("a conversation of %s", bundle.id()).isNotEmpty();
                for (int i = 0; i < turns.size(); i++) {
                    Map<?, ?> turn = (Map<?, ?>) turns.get(i);
                    assertThat(strings(List.copyOf(turn.keySet())))
                            .as("turn of %s", bundle.id())
                            .containsExactlyInAnyOrder("role", "text");
                    assertThat(turn.get("role"))
                            .as("role of turn %d in %s", i, bundle.id())
                            .isEqualTo(i % 2 == 0 ? "user" : "assistant");
                    assertThat(turn.get("text").toString()).isNotBlank();
                }
            }
        }
    }

    @Test
    void everyLoreEntry_hasKeysContentAndOnlyKnownFields() throws Exception {
        for (PersonalityBundle bundle : bundles()) {
            for (Object item : (List<?>) yaml(bundle).get("lore")) {
                Map<?, ?> entry = (Map<?, ?>) item;
                assertThat(LORE_FIELDS)
                        .as("lore fields in %s", bundle.id())
                        .containsAll(strings(List.copyOf(entry.keySet())));
                assertThat(strings(entry.get("keys")))
                        .as("lore keys in %s", bundle.id())
                        .isNotEmpty();
                assertThat(entry.get("content").toString())
                        .as("lore content in %s", bundle.id())
                        .hasSizeGreaterThan(60);
            }
        }
    }

    private static List<PersonalityBundle> bundles() {
        ClassicPersonas provider = new ClassicPersonas();
        provider.start(FakePluginContext.of("classic-personas"));
        return provider.personalities();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(PersonalityBundle bundle) throws Exception {
        return new ObjectMapper(new YAMLFactory()).readValue(bundle.persona(), Map.class);
    }

    private static List<String> strings(Object list) {
        return ((List<?>) list).stream().map(String::valueOf).toList();
    }
}
