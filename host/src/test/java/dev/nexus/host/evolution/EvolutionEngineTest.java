package dev.nexus.host.evolution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nexus.api.evolution.FitnessRequest;
import dev.nexus.api.evolution.FitnessResult;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.Trait;
import dev.nexus.host.persona.Traits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class EvolutionEngineTest {

    private static final PersonalityId ID = PersonalityId.of("sage");
    private final EvolutionEngine engine = new EvolutionEngine();

    private static Traits traits() {
        return Traits.of(List.of(
                Trait.of("verbosity", 0.7),
                Trait.of("formality", 0.5),
                Trait.of("humor", 0.4),
                new Trait("warmth", 0.6, false, 0, 1)));
    }

    private static FeedbackEvidence critique(Map<String, Double> values, String trait, int direction, double rating) {
        return new FeedbackEvidence(values, rating, Map.of(trait, direction), Optional.of("ann"), 900, 40);
    }

    private static List<FeedbackEvidence> tooLong(int count) {
        List<FeedbackEvidence> evidence = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            evidence.add(critique(traits().values(), "verbosity", -1, 0.25));
        }
        return evidence;
    }

    /** A noisy ratings-only data set that prefers formality 0.9 and cares about nothing else. */
    private static List<FeedbackEvidence> prefersFormal(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<FeedbackEvidence> evidence = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            double formality = random.nextDouble();
            double rating = Math.exp(-Math.pow(formality - 0.9, 2) / 0.2) + random.nextDouble(-0.1, 0.1);
            evidence.add(FeedbackEvidence.rated(
                    Map.of("verbosity", 0.7, "formality", formality, "humor", 0.4), Math.max(0, Math.min(1, rating))));
        }
        return evidence;
    }

    @Test
    void evolve_whenSameSeedAndData_returnsIdenticalOutcome() {
        EvolutionRequest request = EvolutionRequest.of(ID, traits(), prefersFormal(7), 42);

        EvolutionOutcome first = engine.evolve(request);
        EvolutionOutcome second = engine.evolve(request);

        assertThat(second).isEqualTo(first);
        assertThat(first.generations()).hasSize(30);
        assertThat(first.changes()).isTrue();
    }

    @Test
    void evolve_whenRepliesAreTooLong_lowersVerbosityWithinTrustRegion() {
        EvolutionOutcome outcome = engine.evolve(EvolutionRequest.of(ID, traits(), tooLong(5), 1));

        assertThat(outcome.proposed().get("verbosity")).isLessThan(0.7).isGreaterThanOrEqualTo(0.55 - 1e-9);
        assertThat(outcome.diff()).extracting(TraitChange::trait).contains("verbosity");
        assertThat(outcome.proposedFitness()).isGreaterThan(outcome.currentFitness());
        assertThat(outcome.evidence().feedbackCount()).isEqualTo(5);
        assertThat(outcome.evidence().critiqueCount()).isEqualTo(5);
        assertThat(outcome.evidence().ratedCount()).isEqualTo(5);
    }

    @Test
    void evolve_whenRatingsPreferFormal_raisesFormality() {
        EvolutionOutcome outcome = engine.evolve(EvolutionRequest.of(ID, traits(), prefersFormal(3), 5));

        assertThat(outcome.proposed().get("formality")).isGreaterThan(0.55);
        assertThat(outcome.proposedRating().orElseThrow())
                .isGreaterThan(outcome.currentRating().orElseThrow());
    }

    @Test
    void evolve_neverChangesTraitsThatAreNotEvolvable() {
        List<FeedbackEvidence> evidence = new ArrayList<>(tooLong(3));
        for (int i = 0; i < 5; i++) {
            evidence.add(critique(traits().values(), "warmth", 1, 0.2));
        }

        EvolutionOutcome outcome = engine.evolve(EvolutionRequest.of(ID, traits(), evidence, 3));

        assertThat(outcome.proposed().get("warmth")).isEqualTo(0.6);
        assertThat(outcome.diff()).extracting(TraitChange::trait).doesNotContain("warmth");
    }

    @Test
    void evolve_whenTraitIsExactlyOne_keepsItInRangeAndCanLowerIt() {
        Traits traits = Traits.of(List.of(Trait.of("verbosity", 1.0), Trait.of("humor", 1.0)));
        List<FeedbackEvidence> evidence = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            evidence.add(critique(traits.values(), "verbosity", -1, Double.NaN));
            evidence.add(critique(traits.values(), "humor", 1, Double.NaN));
        }

        EvolutionOutcome outcome = engine.evolve(EvolutionRequest.of(ID, traits, evidence, 9));

        assertThat(outcome.proposed().get("verbosity")).isLessThan(1.0).isGreaterThanOrEqualTo(0.85 - 1e-9);
        assertThat(outcome.proposed().get("humor")).isEqualTo(1.0);
        assertThat(outcome.currentRating()).isEmpty();
    }

    @Test
    void evolve_respectsPerTraitBounds() {
        Traits traits = Traits.of(List.of(new Trait("verbosity", 0.45, true, 0.4, 0.9)));
        List<FeedbackEvidence> evidence = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            evidence.add(critique(traits.values(), "verbosity", -1, 0.1));
        }

        EvolutionOutcome outcome = engine.evolve(EvolutionRequest.of(ID, traits, evidence, 2));

        assertThat(outcome.proposed().get("verbosity")).isBetween(0.4, 0.45);
    }

    @Test
    void evolve_whenNoEvidence_proposesNoChange() {
        EvolutionOutcome outcome = engine.evolve(EvolutionRequest.of(ID, traits(), List.of(), 4));

        assertThat(outcome.changes()).isFalse();
        assertThat(outcome.proposed()).isEqualTo(outcome.current());
    }

    @Test
    void evolve_whenExternalFunctionPrefersLowHumor_lowersHumorAndRecordsIt() {
        ExternalFitness lowHumor = external("dry", request -> {
            int humor = request.traits().indexOf("humor");
            double[] scores =
                    request.candidates().stream().mapToDouble(c -> 1 - c[humor]).toArray();
            return new FitnessResult.Scores(scores);
        });
        EvolutionRequest request = EvolutionRequest.of(ID, traits(), List.of(), 8)
                .withExternal(List.of(new WeightedFitness(lowHumor, 2.0)));

        EvolutionOutcome outcome = engine.evolve(request);

        assertThat(outcome.proposed().get("humor")).isLessThan(0.4);
        assertThat(outcome.evidence().functions()).singleElement().satisfies(use -> {
            assertThat(use.id()).isEqualTo("dry");
            assertThat(use.version()).isEqualTo("1.0.0");
            assertThat(use.sha256()).isEqualTo("ab".repeat(32));
            assertThat(use.used()).isTrue();
        });
    }

    @Test
    void evolve_whenExternalFunctionMisbehaves_leavesItOutAndSaysWhy() {
        ExternalFitness outOfRange = external(
                "wild",
                request -> new FitnessResult.Scores(
                        request.candidates().stream().mapToDouble(c -> 7.0).toArray()));
        ExternalFitness throwing = external("broken", request -> {
            throw new IllegalStateException("child JVM died");
        });
        ExternalFitness declining = external("shy", request -> new FitnessResult.Declined("needs 10 ratings"));
        EvolutionRequest request = EvolutionRequest.of(ID, traits(), tooLong(3), 8)
                .withExternal(List.of(
                        new WeightedFitness(outOfRange, 1),
                        new WeightedFitness(throwing, 1),
                        new WeightedFitness(declining, 1)));

        EvolutionOutcome outcome = engine.evolve(request);
        EvolutionOutcome without = engine.evolve(request.withExternal(List.of()));

        assertThat(outcome.evidence().functions())
                .extracting(FitnessUse::status)
                .containsExactly(
                        "invalid output: score 7.0 is not in [0, 1]",
                        "failed: child JVM died",
                        "declined: needs 10 ratings");
        assertThat(outcome.proposed()).isEqualTo(without.proposed());
    }

    @Test
    void evolve_whenSeedDiffers_stillAgreesOnDirection() {
        EvolutionOutcome one = engine.evolve(EvolutionRequest.of(ID, traits(), tooLong(5), 1));
        EvolutionOutcome other = engine.evolve(EvolutionRequest.of(ID, traits(), tooLong(5), 2));

        assertThat(other.proposed().get("verbosity")).isCloseTo(one.proposed().get("verbosity"), within(0.05));
    }

    @Test
    void request_whenSizesOutOfRange_isRefusedWithTheLimit() {
        assertThatThrownBy(() -> new EvolutionRequest(ID, traits(), List.of(), 1, 2, 10, 0.1, List.of(), null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("population must be between 4 and 1000, got 2");
        assertThatThrownBy(() -> new EvolutionRequest(ID, traits(), List.of(), 1, 10, 0, 0.1, List.of(), null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("generations must be between 1 and 1000, got 0");
        assertThatThrownBy(() -> new EvolutionRequest(ID, traits(), List.of(), 1, 10, 10, 1.5, List.of(), null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("trustRadius must be in (0, 1], got 1.5");
    }

    private static ExternalFitness external(String id, Function<FitnessRequest, FitnessResult> scorer) {
        return new ExternalFitness() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String version() {
                return "1.0.0";
            }

            @Override
            public String sha256() {
                return "ab".repeat(32);
            }

            @Override
            public FitnessResult score(FitnessRequest request) {
                return scorer.apply(request);
            }
        };
    }
}
