package dev.nexus.api.knowledge;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs the knowledge contract against a small sample provider, and shows it catches broken ones. */
class SamplePackProviderTest extends KnowledgePackProviderContract {

    @Override
    protected KnowledgePackProvider newProvider() {
        return () -> List.of(
                new KnowledgePack(
                        "tea",
                        "Tea",
                        "1.0.0",
                        "food",
                        List.of("tea", "oolong"),
                        List.of("Green, black and oolong tea all come from the plant Camellia sinensis."),
                        List.of(LoreEntry.simple("matcha", List.of("matcha"), "Matcha is powdered green tea."))),
                new KnowledgePack(
                        "coffee",
                        "Coffee",
                        "1.2.0",
                        "food",
                        List.of("coffee", "espresso"),
                        List.of("Espresso is brewed by forcing hot water through finely ground coffee under pressure."),
                        List.of(new LoreEntry(
                                "crema",
                                "Crema",
                                List.of("/crema|foam/i"),
                                List.of(),
                                false,
                                LoreEntry.SelectiveLogic.AND_ANY,
                                "Crema is the foam on top of an espresso.",
                                false,
                                true,
                                100,
                                10,
                                false,
                                true,
                                true,
                                "before_char",
                                Map.of()))));
    }

    @Test
    void contract_whenIdsRepeat_fails() {
        KnowledgePackProviderContract contract = contractFor(() -> List.of(
                new KnowledgePack("tea", "Tea", "1.0.0", "food", List.of("tea"), List.of("Tea is a drink."), List.of()),
                new KnowledgePack(
                        "tea",
                        "More tea",
                        "1.0.0",
                        "food",
                        List.of("chai"),
                        List.of("Chai is spiced tea."),
                        List.of())));

        assertThatThrownBy(contract::packs_haveUniqueIds)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("tea");
    }

    @Test
    void contract_whenPacksChangeBetweenCalls_fails() {
        List<String> facts = new ArrayList<>();
        KnowledgePackProviderContract contract = contractFor(() -> {
            facts.add("Fact number " + facts.size() + ".");
            return List.of(new KnowledgePack("growing", "Growing", "1.0.0", "misc", List.of("grow"), facts, List.of()));
        });

        assertThatThrownBy(contract::packs_areTheSameOnEveryCallAndInstance).isInstanceOf(AssertionError.class);
    }

    @Test
    void contract_whenARegexKeyDoesNotCompile_fails() {
        KnowledgePackProviderContract contract = contractFor(() -> List.of(new KnowledgePack(
                "broken",
                "Broken",
                "1.0.0",
                "misc",
                List.of("x"),
                List.of("A fact."),
                List.of(new LoreEntry(
                        "bad",
                        "Bad",
                        List.of("/([a-z/"),
                        List.of(),
                        false,
                        LoreEntry.SelectiveLogic.AND_ANY,
                        "text",
                        false,
                        true,
                        1,
                        1,
                        false,
                        true,
                        true,
                        null,
                        null)))));

        assertThatThrownBy(contract::everyLoreEntry_hasAUniqueIdContentAndWorkingKeys)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("not a valid regular expression");
    }

    private static KnowledgePackProviderContract contractFor(KnowledgePackProvider provider) {
        return new KnowledgePackProviderContract() {
            @Override
            protected KnowledgePackProvider newProvider() {
                return provider;
            }
        };
    }
}
