package dev.nexus.host.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.knowledge.KnowledgePack;
import dev.nexus.api.knowledge.LoreEntry;
import dev.nexus.api.knowledge.LoreEntry.SelectiveLogic;
import dev.nexus.host.conversation.RecalledItem;
import dev.nexus.host.llm.WordEmbedder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ActivatorTest {

    private static final WordEmbedder WORDS = new WordEmbedder();
    private final Activator activator = new Activator(KnowledgeSettings.defaults());

    private static LoreEntry entry(
            String id,
            List<String> keys,
            List<String> secondary,
            SelectiveLogic logic,
            boolean constant,
            int order,
            int priority,
            boolean caseSensitive,
            boolean wholeWords) {
        return new LoreEntry(
                id,
                id,
                keys,
                secondary,
                !secondary.isEmpty(),
                logic,
                "content of " + id,
                constant,
                true,
                order,
                priority,
                caseSensitive,
                wholeWords,
                false,
                null,
                Map.of());
    }

    private static CompiledPack pack(String id, List<String> topics, List<String> facts, LoreEntry... entries) {
        return CompiledPack.of(
                new KnowledgePack(id, id, null, null, topics, facts, List.of(entries)), PackOrigin.FILE, id);
    }

    private List<String> ids(List<CompiledPack> packs, String message, String... recent) {
        return ids(packs, Set.of(), Set.of(), message, recent);
    }

    private List<String> ids(
            List<CompiledPack> packs, Set<String> always, Set<String> never, String message, String... recent) {
        List<String> scanned = new java.util.ArrayList<>();
        scanned.add(message);
        for (int i = recent.length - 1; i >= 0; i--) {
            scanned.add(recent[i]);
        }
        Activator.Turn turn = new Activator.Turn(
                scanned,
                always,
                never,
                Set.of(),
                Optional.of(WORDS.embed(message)),
                text -> Optional.of(WORDS.embed(text)));
        return activator.activate(packs, turn, 10_000).items().stream()
                .map(RecalledItem::id)
                .toList();
    }

    @Test
    void primaryKey_plainCaseInsensitiveWholeWord_activatesOnlyOnTheWord() {
        List<CompiledPack> packs = List.of(pack(
                "p",
                List.of(),
                List.of(),
                entry("dragon", List.of("Dragon"), List.of(), SelectiveLogic.AND_ANY, false, 100, 10, false, true)));

        assertThat(ids(packs, "a DRAGON appears")).containsExactly("p/dragon");
        assertThat(ids(packs, "dragonfly season")).isEmpty();
    }

    @Test
    void primaryKey_caseSensitiveAndPartialWords_followTheEntrysOptions() {
        List<CompiledPack> packs = List.of(pack(
                "p",
                List.of(),
                List.of(),
                entry("acme", List.of("ACME"), List.of(), SelectiveLogic.AND_ANY, false, 100, 10, true, false)));

        assertThat(ids(packs, "the ACMEcorp tower")).containsExactly("p/acme");
        assertThat(ids(packs, "acme")).isEmpty();
    }

    @Test
    void primaryKey_writtenAsRegex_matchesWithItsFlags() {
        List<CompiledPack> packs = List.of(pack(
                "p",
                List.of(),
                List.of(),
                entry(
                        "tax",
                        List.of("/tax(es|ation)?\\b/i"),
                        List.of(),
                        SelectiveLogic.AND_ANY,
                        false,
                        100,
                        10,
                        false,
                        true)));

        assertThat(ids(packs, "What about TAXATION?")).containsExactly("p/tax");
        assertThat(ids(packs, "taxi please")).isEmpty();
    }

    @Test
    void secondaryLogic_eachMode_combinesAsSillyTavernDoes() {
        List<String> secondary = List.of("red", "blue");
        for (var mode : Map.of(
                        SelectiveLogic.AND_ANY, List.of(false, true, true),
                        SelectiveLogic.AND_ALL, List.of(false, false, true),
                        SelectiveLogic.NOT_ANY, List.of(true, false, false),
                        SelectiveLogic.NOT_ALL, List.of(true, true, false))
                .entrySet()) {
            List<CompiledPack> packs = List.of(pack(
                    "p",
                    List.of(),
                    List.of(),
                    entry("e", List.of("car"), secondary, mode.getKey(), false, 100, 10, false, true)));

            assertThat(List.of(
                            !ids(packs, "a car").isEmpty(),
                            !ids(packs, "a red car").isEmpty(),
                            !ids(packs, "a red and blue car").isEmpty()))
                    .as(mode.getKey().name())
                    .isEqualTo(mode.getValue());
        }
    }

    @Test
    void scanDepth_matchesTheMessageAndOnlyTheLastTurnByDefault() {
        List<CompiledPack> packs = List.of(pack(
                "p",
                List.of(),
                List.of(),
                entry("castle", List.of("castle"), List.of(), SelectiveLogic.AND_ANY, false, 100, 10, false, true)));

        assertThat(ids(packs, "tell me more", "we saw a castle")).containsExactly("p/castle");
        assertThat(ids(packs, "tell me more", "we saw a castle", "then lunch")).isEmpty();
    }

    @Test
    void constantEntries_comeOnlyWithAnActivePack() {
        LoreEntry constant = entry("rules", List.of(), List.of(), SelectiveLogic.AND_ANY, true, 1, 50, false, true);
        LoreEntry keyed =
                entry("loan", List.of("loan"), List.of(), SelectiveLogic.AND_ANY, false, 100, 10, false, true);
        List<CompiledPack> packs = List.of(pack("finance", List.of("budget"), List.of(), constant, keyed));

        assertThat(ids(packs, "hello there")).isEmpty();
        assertThat(ids(packs, "my budget is tight")).containsExactly("finance/rules");
        assertThat(ids(packs, "a loan?")).containsExactly("finance/rules", "finance/loan");
        assertThat(ids(packs, Set.of("finance"), Set.of(), "hello there")).containsExactly("finance/rules");
        assertThat(ids(packs, Set.of(), Set.of("finance"), "a loan for my budget"))
                .isEmpty();
    }

    @Test
    void budget_takesHigherOrderFirst_keepsInsertionOrder_andCutsAnEntryLargerThanItAll() {
        LoreEntry low = entry("low", List.of("x"), List.of(), SelectiveLogic.AND_ANY, false, 1, 1, false, true);
        LoreEntry high = entry("high", List.of("x"), List.of(), SelectiveLogic.AND_ANY, false, 3, 30, false, true);
        LoreEntry mid = entry("mid", List.of("x"), List.of(), SelectiveLogic.AND_ANY, false, 2, 20, false, true);
        List<CompiledPack> packs = List.of(pack("p", List.of(), List.of(), low, high, mid));
        Activator.Turn turn = new Activator.Turn(
                List.of("x"), Set.of(), Set.of(), Set.of(), Optional.empty(), text -> Optional.empty());
        int each = dev.nexus.host.llm.TokenEstimate.of("content of low");

        assertThat(activator.activate(packs, turn, each * 3).items().stream().map(RecalledItem::id))
                .containsExactly("p/low", "p/mid", "p/high");
        assertThat(activator.activate(packs, turn, each * 2).items().stream().map(RecalledItem::id))
                .containsExactly("p/mid", "p/high");
        assertThat(activator.activate(packs, turn, each - 1).items())
                .as("larger than the whole budget: cut, not dropped")
                .singleElement()
                .satisfies(item -> {
                    assertThat(item.id()).isEqualTo("p/high");
                    assertThat(item.components()).containsKey("truncated");
                });
    }

    @Test
    void keylessPack_activatesBySimilarity_andOffersItsClosestFacts() {
        CompiledPack garden = pack(
                "garden",
                List.of(),
                List.of(
                        "Tomato plants need full sun and deep watering.",
                        "Compost improves clay soil.",
                        "Prune roses in late winter."));
        CompiledPack other = pack("space", List.of(), List.of("Mars has two moons."));

        List<String> found = ids(List.of(garden, other), "how often should I water tomato plants in full sun");

        assertThat(found).first().isEqualTo("garden#fact-0");
        assertThat(found).noneMatch(id -> id.startsWith("space"));
    }

    @Test
    void hostileRegex_isCutOffAndDoesNotMatch() {
        List<CompiledPack> packs = List.of(pack(
                "p",
                List.of(),
                List.of(),
                entry("evil", List.of("/(a+)+$/"), List.of(), SelectiveLogic.AND_ANY, false, 100, 10, false, true)));

        assertThat(ids(packs, "a".repeat(40) + "!")).isEmpty();
    }

    @Test
    void invalidRegex_isMatchedAsPlainText() {
        List<CompiledPack> packs = List.of(pack(
                "p",
                List.of(),
                List.of(),
                entry(
                        "bad",
                        List.of("/([unclosed/i"),
                        List.of(),
                        SelectiveLogic.AND_ANY,
                        false,
                        100,
                        10,
                        false,
                        false)));

        assertThat(ids(packs, "the text /([unclosed/i itself")).containsExactly("p/bad");
        assertThat(ids(packs, "unclosed")).isEmpty();
    }
}
