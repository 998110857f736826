package dev.nexus.plugin.knowledgestarter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.knowledge.KnowledgePack;
import dev.nexus.api.knowledge.KnowledgePackProvider;
import dev.nexus.api.knowledge.KnowledgePackProviderContract;
import dev.nexus.api.knowledge.LoreEntry;
import dev.nexus.api.testing.FakePluginContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class StarterPacksTest extends KnowledgePackProviderContract {

    @Override
    protected KnowledgePackProvider newProvider() {
        return new StarterPacks();
    }

    @Test
    void packs_areTheThreeStarterPacks() {
        assertThat(packs())
                .extracting(KnowledgePack::id)
                .containsExactly("personal-finance", "software-engineering", "career");
    }

    @Test
    void everyPack_hasAtLeastFifteenFactsAndThreeLoreEntries() {
        assertThat(packs()).isNotEmpty().allSatisfy(pack -> {
            assertThat(pack.facts()).as("facts of %s", pack.id()).hasSizeGreaterThanOrEqualTo(15);
            assertThat(pack.entries()).as("entries of %s", pack.id()).hasSizeGreaterThanOrEqualTo(3);
            assertThat(pack.topics()).as("topics of %s", pack.id()).hasSizeGreaterThanOrEqualTo(10);
        });
    }

    @Test
    void everyFact_isOneCompleteSentenceOrTwoOfReadableLength() {
        assertThat(packs()).flatExtracting(KnowledgePack::facts).isNotEmpty().allSatisfy(fact -> {
            assertThat(fact).endsWith(".").doesNotContain("  ").doesNotContain("\n");
            assertThat(fact.length()).as("length of: %s", fact).isBetween(60, 420);
        });
    }

    @Test
    void loreEntries_areEnabledKeyedAndCaseInsensitive() {
        List<LoreEntry> entries =
                packs().stream().flatMap(pack -> pack.entries().stream()).toList();

        assertThat(entries).isNotEmpty().allSatisfy(entry -> {
            assertThat(entry.enabled()).isTrue();
            assertThat(entry.keys()).isNotEmpty();
            assertThat(entry.caseSensitive()).isFalse();
            assertThat(entry.content().length()).isGreaterThan(100);
        });
    }

    @Test
    void personalFinance_statesTheRuleOf72AndTheEmergencyFundKeys() {
        KnowledgePack finance = pack("personal-finance");

        assertThat(finance.facts()).anySatisfy(fact -> assertThat(fact).startsWith("The rule of 72"));
        assertThat(finance.entries())
                .filteredOn(entry -> entry.id().equals("emergency-fund"))
                .singleElement()
                .satisfies(entry -> assertThat(entry.keys()).contains("emergency fund", "rainy day fund"));
        assertThat(finance.topics()).contains("budget", "compound interest", "mortgage");
    }

    @Test
    void continuationLines_areJoinedWithSingleSpaces() {
        KnowledgePack engineering = pack("software-engineering");

        assertThat(engineering.facts())
                .contains("Semantic Versioning 2.0.0 numbers releases MAJOR.MINOR.PATCH: "
                        + "increment MAJOR for incompatible API changes, MINOR for backward-compatible new features and PATCH "
                        + "for backward-compatible bug fixes.");
    }

    /** The starter packs; never empty, so the per-pack checks cannot pass having checked nothing. */
    private List<KnowledgePack> packs() {
        StarterPacks provider = new StarterPacks();
        provider.start(FakePluginContext.of("knowledge-starter"));
        List<KnowledgePack> packs = provider.packs();
        assertThat(packs).as("starter packs").isNotEmpty();
        return packs;
    }

    private KnowledgePack pack(String id) {
        return packs().stream().filter(pack -> pack.id().equals(id)).findFirst().orElseThrow();
    }
}
