package dev.nexus.host.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.conversation.CompletedTurn;
import dev.nexus.host.conversation.RecallRequest;
import dev.nexus.host.conversation.Recollection;
import dev.nexus.host.llm.Embedder;
import dev.nexus.host.llm.WordEmbedder;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MemoryServiceTest {

    private static final String DATABASES = "dev.nexus.host.testing.TestDatabases#all";

    private static MemoryFixture fixture(TestDatabase db) {
        return new MemoryFixture(db.database(), new WordEmbedder(), MemorySettings.defaults());
    }

    private static CompletedTurn turn(MemoryFixture f, String user, String text) {
        return new CompletedTurn(
                "c1",
                "api",
                user,
                PersonalityId.of("sage"),
                1,
                "",
                text,
                "",
                "Noted.",
                Map.of(),
                f.clock.instant(),
                Optional.empty());
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void remember_thenSearch_returnsTheFactWithItsScoreComponents(TestDatabase db) {
        try (MemoryFixture f = fixture(db)) {
            f.memory.remember(new NewFact("ana", null, "The user plays the cello in an orchestra", "preference", null));
            f.memory.remember(new NewFact("ana", null, "The user owns a red bicycle", "other", null));

            List<Remembered> found =
                    f.memory.search(MemoryQuery.of("ana", Optional.empty(), "cello orchestra concert", 5));

            assertThat(found).first().satisfies(r -> {
                assertThat(r.text()).isEqualTo("The user plays the cello in an orchestra");
                assertThat(r.kind()).isEqualTo("fact");
                assertThat(r.components())
                        .containsKeys("relevance", "similarity", "keyword", "recency", "importance", "ageDays");
                assertThat(r.score()).isGreaterThan(found.get(1).score());
            });
        }
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void remember_sameFactTwice_storesItOnce_andASlotIsRestated(TestDatabase db) {
        try (MemoryFixture f = fixture(db)) {
            f.memory.afterTurn(turn(f, "ana", "I live in Lisbon"));
            f.memory.afterTurn(turn(f, "ana", "I live in Lisbon"));
            f.clock.advance(Duration.ofDays(1));
            f.memory.afterTurn(turn(f, "ana", "I moved to Porto"));
            f.memory.remember(new NewFact("ana", null, "The user likes tea", "preference", 0.8));
            f.memory.remember(new NewFact("ana", null, "the user likes tea.", "preference", 0.8));

            List<Fact> facts = f.memory.facts("ana", Optional.empty(), Optional.empty(), 100, 0);

            assertThat(facts)
                    .extracting(Fact::text)
                    .containsExactlyInAnyOrder("The user lives in Porto", "The user likes tea");
            assertThat(facts)
                    .filteredOn(x -> x.text().contains("tea"))
                    .first()
                    .satisfies(x -> assertThat(x.confidence()).isGreaterThan(0.8));
        }
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void remember_aDifferentFactThatEmbedsClose_keepsBoth_andAnExactWordMatchRanksFirst(TestDatabase db) {
        try (MemoryFixture f = fixture(db)) {
            f.memory.remember(new NewFact("ana", null, "The user went hiking in the Alps with Ingrid", "event", null));
            f.memory.remember(new NewFact("ana", null, "The user went hiking in the Alps with Tomas", "event", null));
            for (int i = 0; i < 20; i++) {
                f.memory.remember(
                        new NewFact("ana", null, "The user went hiking in the Alps, trip number " + i, "event", null));
            }

            assertThat(f.memory.facts("ana", Optional.empty(), Optional.empty(), 100, 0))
                    .hasSize(22);
            assertThat(f.memory.search(MemoryQuery.of("ana", Optional.empty(), "hiking with Tomas", 3)))
                    .first()
                    .satisfies(r -> {
                        assertThat(r.text()).isEqualTo("The user went hiking in the Alps with Tomas");
                        assertThat(r.components().get("bm25")).isPositive();
                    });
        }
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void forget_deletesTheRowAndTheIndexEntry(TestDatabase db) {
        try (MemoryFixture f = fixture(db)) {
            Fact fact = f.memory.remember(new NewFact("ana", null, "The user collects stamps", "preference", null));
            assertThat(f.memory.indexed(fact.id())).isTrue();

            f.memory.forget(fact.id());

            assertThat(f.memory.indexed(fact.id())).isFalse();
            assertThat(f.memory.facts("ana", Optional.empty(), Optional.empty(), 10, 0))
                    .isEmpty();
            assertThat(f.memory.search(MemoryQuery.of("ana", Optional.empty(), "stamps", 5)))
                    .isEmpty();
            assertThatThrownBy(() -> f.memory.forget(fact.id()))
                    .isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("no fact '" + fact.id() + "'");
        }
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void forgetUser_deletesEveryFactOfThatUserOnly(TestDatabase db) {
        try (MemoryFixture f = fixture(db)) {
            Fact a = f.memory.remember(new NewFact("ana", null, "The user likes jazz", "preference", null));
            f.memory.remember(new NewFact("ana", null, "The user likes chess", "preference", null));
            Fact b = f.memory.remember(new NewFact("bo", null, "The user likes jazz", "preference", null));

            assertThat(f.memory.forgetUser("ana")).isEqualTo(2);

            assertThat(f.memory.indexed(a.id())).isFalse();
            assertThat(f.memory.indexed(b.id())).isTrue();
            assertThat(f.memory.facts("ana", Optional.empty(), Optional.empty(), 10, 0))
                    .isEmpty();
            assertThat(f.memory.facts("bo", Optional.empty(), Optional.empty(), 10, 0))
                    .hasSize(1);
        }
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void eraseUser_removesFactsEpisodesProfileAndIndexEntries_ofThatUserOnly(TestDatabase db) {
        try (MemoryFixture f = fixture(db)) {
            f.memory.afterTurn(turn(f, "ana", "I live in Lisbon and I play the cello"));
            f.memory.remember(new NewFact("ana", null, "The user has a secret diagnosis", "other", null));
            f.memory.updateProfile("ana", new Profile.Update("Ana", Map.of("ssn", "123")));
            f.memory.afterTurn(turn(f, "bo", "I live in Porto and I play the cello"));
            Map<String, Object> exported = f.memory.exportUser("ana");
            assertThat((List<?>) exported.get("facts")).hasSizeGreaterThanOrEqualTo(2);
            assertThat((List<?>) exported.get("episodes")).hasSize(2);
            assertThat(exported.get("profile").toString()).contains("ssn");
            assertThat((List<?>) exported.get("relationships")).hasSize(1);
            assertThat(f.memory.indexedFor("ana")).isPositive();
            int bos = f.memory.indexedFor("bo");

            Map<String, Integer> erased = f.memory.eraseUser("ana");

            assertThat(erased.get("facts")).isGreaterThanOrEqualTo(2);
            assertThat(erased).containsEntry("episodes", 2).containsEntry("profileAndRelationships", 2);
            assertThat(f.memory.indexedFor("ana")).isZero();
            assertThat(f.memory.search(MemoryQuery.of("ana", Optional.empty(), "cello Lisbon diagnosis", 10)))
                    .isEmpty();
            assertThat(f.memory.facts("ana", Optional.empty(), Optional.empty(), 10, 0))
                    .isEmpty();
            Profile profile = f.memory.profile("ana");
            assertThat(profile.displayName()).isEmpty();
            assertThat(profile.attributes()).isEmpty();
            assertThat(profile.relationships()).isEmpty();
            assertThat(f.memory.exportUser("ana").get("episodes")).isEqualTo(List.of());
            assertThat(f.memory.indexedFor("bo")).isEqualTo(bos).isPositive();
            assertThat(f.memory.search(MemoryQuery.of("bo", Optional.empty(), "cello Porto", 10)))
                    .isNotEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void remember_badInput_isRefusedWithAClearMessage_andNothingIsStored(TestDatabase db) {
        try (MemoryFixture f = fixture(db)) {
            assertThatThrownBy(() -> f.memory.remember(new NewFact("ana", null, "x".repeat(1001), "other", null)))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("fact is 1001 characters, at most 1000");
            assertThatThrownBy(() -> f.memory.remember(new NewFact("ana", null, "The user sings", "hobbies", null)))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("unknown fact category 'hobbies'; use one of [identity, health");
            assertThatThrownBy(() -> f.memory.remember(new NewFact("", null, "The user sings", "other", null)))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("user must be 1-200 characters");
            assertThatThrownBy(() -> f.memory.remember(new NewFact("ana", "Bad Id!", "The user sings", "other", null)))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("personality id must be");
            assertThatThrownBy(() -> f.memory.remember(new NewFact("ana", null, "The user sings", "other", 1.5)))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("confidence must be between 0 and 1, got 1.5");

            assertThat(f.memory.facts("ana", Optional.empty(), Optional.empty(), 10, 0))
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void search_filtersByPersonalityCategoryAndTime(TestDatabase db) {
        try (MemoryFixture f = fixture(db)) {
            f.memory.remember(new NewFact("ana", "sage", "The user is learning piano for sage", "goal", null));
            f.memory.remember(new NewFact("ana", "jester", "The user is learning piano for jester", "goal", null));
            f.clock.advance(Duration.ofDays(10));
            f.memory.remember(new NewFact("ana", null, "The user enjoys piano concerts", "preference", null));

            List<String> forSage = f.memory.search(MemoryQuery.of("ana", Optional.of("sage"), "piano", 10)).stream()
                    .map(Remembered::text)
                    .toList();
            List<String> goals = f
                    .memory
                    .search(new MemoryQuery(
                            "ana",
                            Optional.empty(),
                            "piano",
                            10,
                            Set.of(FactCategory.GOAL),
                            Optional.empty(),
                            Optional.empty(),
                            true))
                    .stream()
                    .map(Remembered::text)
                    .toList();
            List<String> recent = f
                    .memory
                    .search(new MemoryQuery(
                            "ana",
                            Optional.empty(),
                            "piano",
                            10,
                            Set.of(),
                            Optional.of(f.clock.instant().minus(Duration.ofDays(1))),
                            Optional.empty(),
                            true))
                    .stream()
                    .map(Remembered::text)
                    .toList();

            assertThat(forSage)
                    .containsExactlyInAnyOrder("The user is learning piano for sage", "The user enjoys piano concerts");
            assertThat(goals)
                    .containsExactlyInAnyOrder(
                            "The user is learning piano for sage", "The user is learning piano for jester");
            assertThat(recent).containsExactly("The user enjoys piano concerts");
        }
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void afterTurn_storesEpisodesFactsAndRelationship_shownInTheProfile(TestDatabase db) {
        try (MemoryFixture f = fixture(db)) {
            f.memory.afterTurn(turn(f, "ana", "Thanks, that was great! My name is Ana."));
            f.clock.advance(Duration.ofHours(1));
            f.memory.afterTurn(turn(f, "ana", "I work as a pilot"));
            f.memory.updateProfile("ana", new Profile.Update("Ana", Map.of("timezone", "Europe/Lisbon")));

            Profile profile = f.memory.profile("ana");

            assertThat(profile.displayName()).isEqualTo("Ana");
            assertThat(profile.attributes()).containsEntry("timezone", "Europe/Lisbon");
            assertThat(profile.facts())
                    .extracting(Fact::text)
                    .containsExactly("The user's name is Ana", "The user works as pilot");
            assertThat(profile.facts())
                    .isNotEmpty()
                    .allSatisfy(x -> assertThat(x.source()).isEqualTo(FactSource.CONVERSATION));
            assertThat(profile.relationships()).singleElement().satisfies(r -> {
                assertThat(r.personality()).isEqualTo("sage");
                assertThat(r.interactionCount()).isEqualTo(2);
                assertThat(r.sentiment()).isGreaterThan(0);
                assertThat(r.lastInteraction()).isEqualTo(f.clock.instant());
            });
            assertThat(f.memory.search(MemoryQuery.of("ana", Optional.empty(), "pilot", 10)))
                    .extracting(Remembered::kind)
                    .contains("fact", "episode");
        }
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void afterTurn_withAModelExtractor_usesItsFacts_andFallsBackToRulesWhenItFails(TestDatabase db) {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        FactExtractor model = (userText, replyText) -> {
            seen.add(userText + " | " + replyText);
            if (userText.contains("fail")) {
                throw new dev.nexus.host.DependencyException("model down", true, null);
            }
            return List.of(
                    new ExtractedFact("The user restores old radios", FactCategory.PREFERENCE, 0.8, Optional.empty()));
        };
        try (MemoryFixture f =
                new MemoryFixture(db.database(), new WordEmbedder(), MemorySettings.defaults(), Optional.of(model))) {
            f.memory.afterTurn(turn(f, "ana", "Spent the weekend soldering a 1950s valve set"));
            f.memory.afterTurn(turn(f, "ana", "this will fail but I live in Faro"));

            assertThat(seen)
                    .containsExactly(
                            "Spent the weekend soldering a 1950s valve set | Noted.",
                            "this will fail but I live in Faro | Noted.");
            assertThat(f.memory.facts("ana", Optional.empty(), Optional.empty(), 10, 0))
                    .extracting(Fact::text)
                    .containsExactlyInAnyOrder("The user restores old radios", "The user lives in Faro");
        }
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void recall_handsTheRetrievalCountToTheTurn_andLeavesOutTheRecentTurns(TestDatabase db) {
        try (MemoryFixture f = fixture(db)) {
            f.memory.afterTurn(turn(f, "ana", "I'm allergic to shellfish"));
            RecallRequest request = new RecallRequest(
                    PersonalityId.of("sage"),
                    "ana",
                    "c1",
                    "Any shellfish recipes?",
                    List.of("I'm allergic to shellfish"),
                    List.of(),
                    500);

            Recollection recollection = f.recall.recall(request);

            assertThat(recollection.memories())
                    .extracting(r -> r.text())
                    .containsExactly("The user is allergic to shellfish");
            // The turn's recall leaves the count to the conversation, which writes it with the reply.
            assertThat(f.memory
                            .facts("ana", Optional.empty(), Optional.empty(), 5, 0)
                            .get(0)
                            .retrievalCount())
                    .isZero();
            recollection.recordUse().run();
            assertThat(f.memory
                            .facts("ana", Optional.empty(), Optional.empty(), 5, 0)
                            .get(0)
                            .retrievalCount())
                    .isEqualTo(1);
            // Recall outside a turn (the memory API's own callers) counts at once.
            f.memory.recall(request, 500);
            assertThat(f.memory
                            .facts("ana", Optional.empty(), Optional.empty(), 5, 0)
                            .get(0)
                            .retrievalCount())
                    .isEqualTo(2);
        }
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void recall_respectsTheTokenBudget(TestDatabase db) {
        try (MemoryFixture f = fixture(db)) {
            for (int i = 0; i < 10; i++) {
                f.memory.remember(
                        new NewFact("ana", null, "The user has garden bed number " + i + " with herbs", "other", null));
            }
            RecallRequest request =
                    new RecallRequest(PersonalityId.of("sage"), "ana", "c1", "garden herbs", List.of(), List.of(), 30);

            Recollection recollection = f.recall.recall(request);

            int tokens = recollection.memories().stream()
                    .mapToInt(r -> (r.text().length() + 3) / 4)
                    .sum();
            assertThat(recollection.memories()).isNotEmpty();
            assertThat(tokens).isLessThanOrEqualTo(30);
        }
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void search_beforeTheModelIsReady_fallsBackToKeywords(TestDatabase db) {
        Embedder loading = new Embedder() {
            @Override
            public float[] embed(String text) {
                throw new dev.nexus.host.DependencyException("still loading", true, null);
            }

            @Override
            public int dimensions() {
                return 256;
            }

            @Override
            public String name() {
                return "loading";
            }

            @Override
            public boolean ready() {
                return false;
            }
        };
        try (MemoryFixture f = new MemoryFixture(db.database(), loading, MemorySettings.defaults())) {
            f.memory.remember(new NewFact("ana", null, "The user keeps bees on the roof", "preference", null));
            f.memory.remember(new NewFact("ana", null, "The user drives a truck", "other", null));

            List<Remembered> found = f.memory.search(MemoryQuery.of("ana", Optional.empty(), "how are the bees?", 5));

            assertThat(found).first().satisfies(r -> {
                assertThat(r.text()).isEqualTo("The user keeps bees on the roof");
                assertThat(r.components()).doesNotContainKey("similarity").containsEntry("keyword", 1.0);
            });
        }
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void restart_rebuildsTheIndexFromTheDatabase(TestDatabase db) {
        String id;
        try (MemoryFixture f = fixture(db)) {
            id = f.memory
                    .remember(new NewFact("ana", null, "The user grows orchids", "preference", null))
                    .id();
        }
        try (MemoryFixture again = fixture(db)) {
            assertThat(again.memory.indexed(id)).isTrue();
            assertThat(again.memory.search(MemoryQuery.of("ana", Optional.empty(), "orchids", 3)))
                    .first()
                    .satisfies(r -> assertThat(r.components()).containsKey("similarity"));
        }
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void consolidate_summarisesOldEpisodes_keepsRetrievalCounts_andCapsFacts(TestDatabase db) {
        MemorySettings settings = new MemorySettings(
                null, null, null, null, null, null, null, null, null, null, null, null, null, 3, null, 7, 0, null, null,
                null);
        try (MemoryFixture f = new MemoryFixture(db.database(), new WordEmbedder(), settings)) {
            f.memory.afterTurn(turn(f, "ana", "My sister is getting married in June, I'm so excited"));
            f.memory.afterTurn(turn(f, "ana", "ok"));
            f.recall
                    .recall(new RecallRequest(
                            PersonalityId.of("sage"), "ana", "c2", "sister married June", List.of(), List.of(), 500))
                    .recordUse()
                    .run();
            for (String museum : List.of("Louvre", "Prado", "Uffizi", "Rijksmuseum")) {
                f.memory.remember(new NewFact("ana", null, "The user visited the " + museum, "event", 0.5));
            }
            f.clock.advance(Duration.ofDays(8));

            ConsolidationReport report = f.memory.consolidate();

            assertThat(report.episodesSummarised()).isEqualTo(4);
            assertThat(report.summaries()).isEqualTo(1);
            List<Fact> facts = f.memory.facts("ana", Optional.empty(), Optional.empty(), 100, 0);
            assertThat(facts).hasSize(3);
            assertThat(facts)
                    .filteredOn(x -> x.category() == FactCategory.SUMMARY)
                    .singleElement()
                    .satisfies(s -> {
                        assertThat(s.text())
                                .contains("My sister is getting married in June")
                                .doesNotContain("\"ok\"");
                        assertThat(s.source()).isEqualTo(FactSource.INFERRED);
                        assertThat(s.retrievalCount()).isEqualTo(1);
                    });
            assertThat(f.memory.search(MemoryQuery.of("ana", Optional.empty(), "married", 10)))
                    .noneMatch(r -> r.kind().equals("episode"));
        }
    }
}
