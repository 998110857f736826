package dev.nexus.host.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.ConflictException;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PersonalityStoreTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    private static final Owner BUNDLE = Owner.bundle("personalities/zen/persona.yaml");
    private final PersonaCodec codec = new PersonaCodec();
    private final List<String> heard = new ArrayList<>();

    private PersonalityStore store(TestDatabase db) {
        PersonalityStore store = new PersonalityStore(db.database(), codec, CLOCK);
        store.listener(new PersonalityStore.Listener() {
            @Override
            public void stored(PersonalityVersion version, Owner owner) {
                heard.add("stored " + version.id() + " v" + version.version() + " " + version.source() + " by "
                        + owner.kind().label());
            }

            @Override
            public void removed(PersonalityId id) {
                heard.add("removed " + id);
            }
        });
        return store;
    }

    static Personality zen(double warmth) {
        return codec().decode("test", """
                name: Zen
                description: Calm.
                traits:
                  warmth: {value: %s, evolvable: true, min: 0.2, max: 0.9}
                  verbosity: 0.3
                """.formatted(warmth), Optional.of(PersonalityId.of("zen")), Map.of());
    }

    private static PersonaCodec codec() {
        return new PersonaCodec();
    }

    private static final PersonalityId ZEN = PersonalityId.of("zen");

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void offer_newThenSameThenChanged_writesVersionsOnlyForChanges(TestDatabase db) {
        PersonalityStore store = store(db);

        assertThat(store.offer(zen(0.5), BUNDLE)).isEqualTo(PersonalityStore.Offer.NEW_VERSION);
        assertThat(store.offer(zen(0.5), BUNDLE)).isEqualTo(PersonalityStore.Offer.UNCHANGED);
        assertThat(store.offer(zen(0.6), BUNDLE)).isEqualTo(PersonalityStore.Offer.NEW_VERSION);

        assertThat(store.versions(ZEN))
                .extracting(PersonalityVersion::version, PersonalityVersion::source)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2, "bundle"),
                        org.assertj.core.groups.Tuple.tuple(1, "bundle"));
        assertThat(store.current(ZEN).orElseThrow().version().personality()).isEqualTo(zen(0.6));
        assertThat(store.current(ZEN).orElseThrow().version().createdAt()).isEqualTo(CLOCK.instant());
        assertThat(heard).containsExactly("stored zen v1 bundle by bundle", "stored zen v2 bundle by bundle");
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void versions_surviveANewStoreOverTheSameDatabase(TestDatabase db) {
        store(db).offer(zen(0.5), BUNDLE);
        store(db).applyTraits(ZEN, 1, Map.of("warmth", 0.8), "evolution:p1");

        PersonalityStore reopened = new PersonalityStore(db.database(), codec, CLOCK);

        assertThat(reopened.current(ZEN).orElseThrow().version().version()).isEqualTo(2);
        assertThat(reopened.version(ZEN, 1).orElseThrow().personality()).isEqualTo(zen(0.5));
        assertThat(reopened.current(ZEN).orElseThrow().owner()).isEqualTo(BUNDLE);
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void applyTraits_onCurrentBase_writesANewVersionWithOnlyThoseTraitsChanged(TestDatabase db) {
        PersonalityStore store = store(db);
        store.offer(zen(0.5), BUNDLE);

        PersonalityVersion applied = store.applyTraits(ZEN, 1, Map.of("warmth", 0.7), "evolution:p1");

        assertThat(applied.version()).isEqualTo(2);
        assertThat(applied.source()).isEqualTo("evolution:p1");
        assertThat(applied.personality().traits().values())
                .containsExactly(Map.entry("warmth", 0.7), Map.entry("verbosity", 0.3));
        assertThat(applied.personality().traits().trait("warmth").orElseThrow())
                .isEqualTo(new Trait("warmth", 0.7, true, 0.2, 0.9));
        assertThat(store.current(ZEN).orElseThrow().version()).isEqualTo(applied);
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void applyTraits_onStaleBase_isRefusedWithAClearMessageAndStoresNothing(TestDatabase db) {
        PersonalityStore store = store(db);
        store.offer(zen(0.5), BUNDLE);
        store.applyTraits(ZEN, 1, Map.of("warmth", 0.7), "evolution:p1");

        assertThatThrownBy(() -> store.applyTraits(ZEN, 1, Map.of("warmth", 0.3), "evolution:p2"))
                .isInstanceOf(ConflictException.class)
                .hasMessage("personality 'zen' is at version 2 but this change was based on version 1; "
                        + "it was refused, not merged: propose it again against version 2");
        assertThat(store.versions(ZEN)).hasSize(2);
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void restore_onCurrentBase_writesTheEarlierContentAsANewVersion(TestDatabase db) {
        PersonalityStore store = store(db);
        store.offer(zen(0.5), BUNDLE);
        store.applyTraits(ZEN, 1, Map.of("warmth", 0.8), "evolution:p1");

        PersonalityVersion restored = store.restore(ZEN, 2, 1, "rollback:p2");

        assertThat(restored.version()).isEqualTo(3);
        assertThat(restored.source()).isEqualTo("rollback:p2");
        assertThat(restored.personality()).isEqualTo(zen(0.5));
        assertThat(store.versions(ZEN)).extracting(PersonalityVersion::version).containsExactlyInAnyOrder(1, 2, 3);
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void restore_onStaleBaseOrUnknownVersion_isRefusedAndStoresNothing(TestDatabase db) {
        PersonalityStore store = store(db);
        store.offer(zen(0.5), BUNDLE);
        store.applyTraits(ZEN, 1, Map.of("warmth", 0.8), "evolution:p1");

        assertThatThrownBy(() -> store.restore(ZEN, 1, 1, "rollback:p2"))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("is at version 2 but this rollback was based on version 1");
        assertThatThrownBy(() -> store.restore(ZEN, 2, 7, "rollback:p3"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("'7'");
        assertThat(store.versions(ZEN)).hasSize(2);
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void applyTraits_badValues_areRefusedAndStoreNothing(TestDatabase db) {
        PersonalityStore store = store(db);
        store.offer(zen(0.5), BUNDLE);

        assertThatThrownBy(() -> store.applyTraits(ZEN, 1, Map.of("charm", 0.5), "evolution:x"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("personality 'zen' has no trait 'charm'; its traits are [warmth, verbosity]");
        assertThatThrownBy(() -> store.applyTraits(ZEN, 1, Map.of("verbosity", 0.9), "evolution:x"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("trait 'verbosity' of 'zen' is not evolvable; mark it evolvable in the personality "
                        + "before proposing changes to it");
        assertThatThrownBy(() -> store.applyTraits(ZEN, 1, Map.of("warmth", 0.95), "evolution:x"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("trait 'warmth' of 'zen' must stay within [0.2, 0.9], got 0.95");
        assertThatThrownBy(() -> store.applyTraits(ZEN, 1, Map.of("warmth", Double.NaN), "evolution:x"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("trait 'warmth' needs a finite value, got NaN");
        assertThatThrownBy(() -> store.applyTraits(ZEN, 1, Map.of(), "evolution:x"))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> store.applyTraits(PersonalityId.of("nobody"), 1, Map.of("warmth", 0.5), "evolution:x"))
                .isInstanceOf(NotFoundException.class);
        assertThat(store.versions(ZEN)).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void applyTraits_insideTheCallersTransaction_rollsBackWithIt(TestDatabase db) {
        PersonalityStore store = store(db);
        store.offer(zen(0.5), BUNDLE);
        heard.clear();

        assertThatThrownBy(() -> db.database().jdbi().useTransaction(h -> {
                    store.applyTraits(ZEN, 1, Map.of("warmth", 0.7), "evolution:p1");
                    h.execute("UPDATE personalities SET owner = owner WHERE id = 'zen'");
                    throw new IllegalStateException("the approval's audit insert failed");
                }))
                .isInstanceOf(IllegalStateException.class);

        assertThat(store.versions(ZEN)).hasSize(1);
        assertThat(store.current(ZEN).orElseThrow().version().version()).isEqualTo(1);
        assertThat(heard).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void applyTraits_insideTheCallersTransaction_commitsWithIt(TestDatabase db) {
        PersonalityStore store = store(db);
        store.offer(zen(0.5), BUNDLE);
        heard.clear();

        db.database().jdbi().useTransaction(h -> {
            store.applyTraits(ZEN, 1, Map.of("warmth", 0.7), "evolution:p1");
            assertThat(heard).as("not before the commit").isEmpty();
        });

        assertThat(heard).containsExactly("stored zen v2 evolution:p1 by bundle");
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void evolvedBundle_keepsEvolvedValuesUntilTheBundleFileChanges(TestDatabase db) {
        PersonalityStore store = store(db);
        store.offer(zen(0.5), BUNDLE);
        store.applyTraits(ZEN, 1, Map.of("warmth", 0.8), "evolution:p1");

        assertThat(store.offer(zen(0.5), BUNDLE)).isEqualTo(PersonalityStore.Offer.UNCHANGED);
        assertThat(store.current(ZEN)
                        .orElseThrow()
                        .version()
                        .personality()
                        .traits()
                        .value("warmth", 0))
                .isEqualTo(0.8);

        assertThat(store.offer(zen(0.4), BUNDLE)).isEqualTo(PersonalityStore.Offer.NEW_VERSION);
        PersonalityVersion current = store.current(ZEN).orElseThrow().version();
        assertThat(current.version()).isEqualTo(3);
        assertThat(current.personality().traits().value("warmth", 0)).isEqualTo(0.4);
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void apiOwnership_isEnforcedBothWays(TestDatabase db) {
        PersonalityStore store = store(db);
        store.offer(zen(0.5), BUNDLE);
        Personality sage = Personality.minimal("sage", "Sage", "Wise.");
        store.create(sage);

        assertThatThrownBy(() -> store.create(Personality.minimal("zen", "Other", "")))
                .isInstanceOf(ConflictException.class)
                .hasMessage("personality 'zen' already exists (owned by the bundle personalities/zen/persona.yaml); "
                        + "choose another id or PUT to /v1/personalities/zen");
        assertThatThrownBy(() -> store.replace(zen(0.6)))
                .isInstanceOf(ConflictException.class)
                .hasMessage(
                        "cannot replace personality 'zen': it comes from the bundle personalities/zen/persona.yaml, "
                                + "not the API; edit personalities/zen/persona.yaml in the personalities directory instead");
        assertThatThrownBy(() -> store.delete(ZEN))
                .isInstanceOf(ConflictException.class)
                .hasMessageStartingWith("cannot delete personality 'zen': it comes from the bundle");
        assertThat(store.offer(Personality.minimal("sage", "Bundle Sage", ""), BUNDLE))
                .isEqualTo(PersonalityStore.Offer.OWNED_BY_API);
        assertThat(store.current(PersonalityId.of("sage"))
                        .orElseThrow()
                        .version()
                        .personality())
                .isEqualTo(sage);
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void replaceAndDelete_apiOwned_versionAndRemoveButKeepHistory(TestDatabase db) {
        PersonalityStore store = store(db);
        PersonalityId sage = PersonalityId.of("sage");
        store.create(Personality.minimal("sage", "Sage", "v1"));

        assertThat(store.replace(Personality.minimal("sage", "Sage", "v1")).version())
                .as("unchanged")
                .isEqualTo(1);
        assertThat(store.replace(Personality.minimal("sage", "Sage", "v2")).version())
                .isEqualTo(2);
        store.delete(sage);

        assertThat(store.current(sage)).isEmpty();
        assertThatThrownBy(() -> store.versions(sage)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.delete(sage)).isInstanceOf(NotFoundException.class);
        assertThat(store.create(Personality.minimal("sage", "Sage", "v3")).version())
                .as("numbering continues")
                .isEqualTo(3);
        assertThat(heard)
                .containsExactly(
                        "stored sage v1 api by api",
                        "stored sage v2 api by api",
                        "removed sage",
                        "stored sage v3 api by api");
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void retire_thenOfferUnchanged_revivesWithoutANewVersion(TestDatabase db) {
        PersonalityStore store = store(db);
        store.offer(zen(0.5), BUNDLE);

        store.retire(ZEN, Owner.plugin("other"));
        assertThat(store.current(ZEN)).as("only the owner retires").isPresent();
        store.retire(ZEN, BUNDLE);
        assertThat(store.current(ZEN)).isEmpty();

        assertThat(store.offer(zen(0.5), BUNDLE)).isEqualTo(PersonalityStore.Offer.UNCHANGED);
        assertThat(store.current(ZEN).orElseThrow().version().version()).isEqualTo(1);
        assertThat(store.offer(zen(0.5), Owner.plugin("acme")))
                .as("new owner")
                .isEqualTo(PersonalityStore.Offer.NEW_VERSION);
        assertThat(store.current(ZEN).orElseThrow().version().source()).isEqualTo("plugin:acme");
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void largeDocument_isStoredWhole(TestDatabase db) {
        PersonalityStore store = store(db);
        String prompt = "Be calm. ".repeat(200_000);
        Personality big = new Personality(
                PersonalityId.of("big"),
                "Big",
                "",
                "",
                "",
                "",
                List.of(),
                List.of(),
                Traits.none(),
                prompt,
                "",
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                "",
                List.of(),
                "",
                "",
                Optional.empty(),
                Optional.empty(),
                Map.of("k", "v"));

        store.create(big);

        assertThat(store.current(PersonalityId.of("big"))
                        .orElseThrow()
                        .version()
                        .personality())
                .isEqualTo(big);
    }
}
