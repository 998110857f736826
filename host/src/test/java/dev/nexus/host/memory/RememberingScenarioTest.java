package dev.nexus.host.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.conversation.CompletedTurn;
import dev.nexus.host.conversation.RecallRequest;
import dev.nexus.host.conversation.RecalledItem;
import dev.nexus.host.conversation.Recollection;
import dev.nexus.host.llm.CachedEmbedder;
import dev.nexus.host.llm.Embedder;
import dev.nexus.host.llm.Embedders;
import dev.nexus.host.llm.EmbeddingSettings;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.testing.TestDatabase;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The "done when": a user says "I'm vegetarian and I live in Lisbon"; days of conversation
 * later they ask for a dinner idea and both facts are recalled above unrelated older ones; a
 * budgeting question activates the finance pack. Offline, with the bundled embedding model, an
 * injected clock, on H2 and PostgreSQL.
 */
class RememberingScenarioTest {

    private static final String FINANCE_PACK = """
            id: test-finance
            name: Test personal finance
            category: finance
            topics: [budget, budgeting, savings]
            facts:
              - The 50/30/20 rule splits income into needs, wants and savings.
              - An emergency fund usually covers three to six months of expenses.
            entries:
              - id: envelopes
                keys: [budget, envelope]
                content: Envelope budgeting gives every euro a job before the month begins.
                priority: 20
            """;
    private static final String ASTRONOMY_PACK = """
            {"id": "test-astronomy", "name": "Astronomy", "topics": ["planet", "telescope"],
             "facts": ["Jupiter is the largest planet in the solar system."]}
            """;

    private static ExecutorService loader;
    private static Embedder embedder;

    @BeforeAll
    static void loadModel() {
        loader = Executors.newSingleThreadExecutor();
        embedder = new CachedEmbedder(Embedders.create(EmbeddingSettings.local(), loader), 1000);
        embedder.embed("warm up");
    }

    @AfterAll
    static void stop() {
        loader.shutdownNow();
    }

    private static void say(MemoryFixture f, String conversation, String text) {
        f.memory.afterTurn(new CompletedTurn(
                conversation,
                "api",
                "maria",
                PersonalityId.of("chef"),
                1,
                "",
                text,
                "",
                "I see.",
                Map.of(),
                f.clock.instant(),
                Optional.empty()));
    }

    private static Recollection ask(MemoryFixture f, String message) {
        return f.recall.recall(
                new RecallRequest(PersonalityId.of("chef"), "maria", "c9", message, List.of(), List.of(), 600));
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void daysLater_dinnerIdea_recallsDietAboveOlderFactsAndHome_andBudgetingActivatesFinance(TestDatabase db)
            throws Exception {
        try (MemoryFixture f = new MemoryFixture(db.database(), embedder, MemorySettings.defaults())) {
            Files.writeString(f.knowledgeDir.resolve("finance.yaml"), FINANCE_PACK);
            Files.writeString(f.knowledgeDir.resolve("astronomy.json"), ASTRONOMY_PACK);
            assertThat(f.knowledge.reload()).isEmpty();

            say(f, "c1", "My favourite colour is green.");
            say(f, "c1", "I have a cat named Miso.");
            say(f, "c1", "My favourite band is Queen.");
            f.clock.advance(Duration.ofDays(30));
            say(f, "c2", "I'm vegetarian and I live in Lisbon");
            for (String chat : List.of(
                    "The weather was lovely on the beach.",
                    "I watched a documentary about whales.",
                    "Work was busy, lots of meetings.")) {
                f.clock.advance(Duration.ofDays(1));
                say(f, "c3", chat);
            }
            f.clock.advance(Duration.ofDays(1));

            Recollection dinner = ask(f, "Can you suggest a dinner idea for tonight?");
            Recollection budget = ask(f, "How should I plan my monthly budget?");

            List<String> recalled =
                    dinner.memories().stream().map(RecalledItem::text).toList();
            assertThat(recalled).contains("The user is vegetarian", "The user lives in Lisbon");
            // Relevance first (issue 16): the diet, which a dinner question is about, ranks above the older trivia; the
            // home is recalled as a profile-grade fact but, unrelated to dinner, is no longer lifted above them by
            // importance.
            int lastFact = recalled.indexOf("The user is vegetarian");
            for (String older : List.of(
                    "The user's favourite colour is green",
                    "The user has a cat named Miso",
                    "The user's favourite band is Queen")) {
                int at = recalled.indexOf(older);
                assertThat(at == -1 || at > lastFact)
                        .as("%s ranks below the diet in %s", older, recalled)
                        .isTrue();
            }
            assertThat(dinner.knowledge()).noneMatch(k -> k.origin().equals("test-finance"));
            assertThat(budget.knowledge())
                    .extracting(RecalledItem::origin)
                    .contains("test-finance")
                    .doesNotContain("test-astronomy");
            assertThat(budget.knowledge()).extracting(RecalledItem::id).contains("test-finance/envelopes");
        }
    }
}
