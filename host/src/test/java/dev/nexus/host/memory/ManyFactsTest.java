package dev.nexus.host.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.conversation.RecallRequest;
import dev.nexus.host.conversation.Recollection;
import dev.nexus.host.llm.WordEmbedder;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.testing.TestDatabase;
import dev.nexus.host.vector.Vectors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Many facts for one user: the index is rebuilt from the database at start-up (and clustered, past
 * 8,192 vectors), and a search or a recall finds the one relevant fact among them. 10,000 facts by
 * default so the suite stays fast; {@code -Dnexus.memory.facts=100000} runs the 100,000
 * (about a minute on two cores, most of it inserting rows). Timings are printed, not asserted; the
 * latency figures are in docs/benchmarks.md.
 */
class ManyFactsTest {

    private static final int FACTS = Integer.getInteger("nexus.memory.facts", 10_000);
    private static final String[] TOPICS = {
        "garden",
        "cooking",
        "travel",
        "music",
        "football",
        "painting",
        "chess",
        "cycling",
        "movies",
        "baking",
        "sailing",
        "camping",
        "knitting",
        "poetry",
        "history",
        "astronomy"
    };

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void search_amongManyFactsOfOneUser_findsTheRelevantOne(TestDatabase db) {
        WordEmbedder words = new WordEmbedder(128);
        FactRepository repository = new FactRepository(db.database());
        Instant at = Instant.parse("2026-02-01T00:00:00Z");
        long started = System.nanoTime();
        List<FactRepository.Stored> batch = new ArrayList<>();
        for (int i = 0; i < FACTS; i++) {
            String text = i == 4242
                    ? "The user is allergic to walnuts"
                    : "The user mentioned " + TOPICS[i % TOPICS.length] + " note " + Integer.toString(i, 36);
            Fact fact = new Fact(
                    "f" + i,
                    "heavy",
                    Optional.empty(),
                    text,
                    FactCategory.OTHER,
                    FactSource.EXPLICIT,
                    1.0,
                    i == 4242 ? 0.9 : 0.4,
                    0,
                    at,
                    at,
                    Optional.empty());
            batch.add(new FactRepository.Stored(fact, Optional.of(Vectors.toBytes(words.embed(text))), words.name()));
            if (batch.size() == 5000) {
                repository.insertAll(batch);
                batch.clear();
            }
        }
        long inserted = System.nanoTime();

        try (MemoryFixture f = new MemoryFixture(db.database(), words, MemorySettings.defaults())) {
            long loaded = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                f.memory.search(MemoryQuery.of("heavy", Optional.empty(), "warming up the query path " + i, 5));
            }
            long warm = System.nanoTime();
            List<Remembered> found =
                    f.memory.search(MemoryQuery.of("heavy", Optional.empty(), "am I allergic to walnuts", 5));
            long searched = System.nanoTime();
            Recollection recalled = f.recall.recall(new RecallRequest(
                    PersonalityId.of("sage"),
                    "heavy",
                    "c",
                    "is a walnut cake ok, as I am allergic?",
                    List.of(),
                    List.of(),
                    300));
            long recalledAt = System.nanoTime();
            System.out.printf(
                    "[%s] %,d facts: insert %.1f s, index load %.1f s, search %.1f ms, recall %.1f ms%n",
                    db.backend(),
                    FACTS,
                    (inserted - started) / 1e9,
                    (loaded - inserted) / 1e9,
                    (searched - warm) / 1e6,
                    (recalledAt - searched) / 1e6);

            assertThat(f.memory.stats()).containsEntry("indexedVectors", FACTS);
            assertThat(found).first().satisfies(r -> assertThat(r.text()).isEqualTo("The user is allergic to walnuts"));
            assertThat(recalled.memories())
                    .first()
                    .satisfies(r -> assertThat(r.text()).isEqualTo("The user is allergic to walnuts"));
        }
    }
}
