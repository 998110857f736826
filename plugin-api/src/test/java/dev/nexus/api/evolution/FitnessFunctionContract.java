package dev.nexus.api.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link FitnessFunction} must meet, run in-process by its own tests (the host runs
 * it in the sandbox, where breaking these rules counts as invalid output and eventually disables it).
 * Extend it and return your function from {@link #fitness()}; override {@link #request(int)} to use
 * trait names your function expects.
 */
public abstract class FitnessFunctionContract {

    /** Returns a fresh instance of the function under test. */
    protected abstract FitnessFunction fitness();

    /**
     * Returns a request with {@code candidates} candidate vectors over the traits {@code verbosity},
     * {@code warmth}, {@code formality}, and a little rated and critiqued evidence.
     */
    protected FitnessRequest request(int candidates) {
        List<String> traits = List.of("verbosity", "warmth", "formality");
        List<double[]> vectors = new ArrayList<>();
        for (int i = 0; i < candidates; i++) {
            double x = candidates == 1 ? 0.5 : (double) i / (candidates - 1);
            vectors.add(new double[] {x, 1 - x, 0.5});
        }
        List<FeedbackSample> evidence = List.of(
                new FeedbackSample(new double[] {0.9, 0.5, 0.5}, 0.0, Map.of("verbosity", -1), 1400, 60),
                new FeedbackSample(new double[] {0.3, 0.6, 0.5}, 1.0, Map.of(), 220, 45),
                new FeedbackSample(new double[] {0.6, 0.5, 0.4}, 0.5, Map.of(), 600, 30),
                new FeedbackSample(new double[] {0.5, 0.5, 0.5}, Double.NaN, Map.of("formality", 1), 400, 25));
        return new FitnessRequest("support", traits, vectors, evidence, 7);
    }

    @Test
    void id_isStableAndLowerCase() {
        String id = fitness().id();

        assertThat(id).matches("[a-z0-9-]{1,64}");
        assertThat(fitness().id()).isEqualTo(id);
    }

    @Test
    void score_returnsOneFiniteScoreInTheUnitIntervalPerCandidate_orDeclines() {
        for (int n : new int[] {1, 2, 17}) {
            FitnessResult result = fitness().score(request(n));

            assertThat(result).isNotNull();
            if (result instanceof FitnessResult.Scores scores) {
                assertThat(scores.values()).hasSize(n);
                for (double value : scores.values()) {
                    assertThat(value).isFinite().isBetween(0.0, 1.0);
                }
            } else {
                assertThat(((FitnessResult.Declined) result).reason()).isNotBlank();
            }
        }
    }

    @Test
    void score_isDeterministic_sameRequestSameResult() {
        FitnessResult first = fitness().score(request(9));
        FitnessResult second = fitness().score(request(9));

        if (first instanceof FitnessResult.Scores scores) {
            assertThat(second).isInstanceOfSatisfying(FitnessResult.Scores.class,
                    again -> assertThat(again.values()).containsExactly(scores.values()));
        } else {
            assertThat(second).isEqualTo(first);
        }
    }

    @Test
    void score_whenThereIsNoEvidence_doesNotThrow() {
        FitnessRequest full = request(3);
        FitnessRequest bare = new FitnessRequest(full.personality(), full.traits(), full.candidates(), List.of(), 1);

        assertThat(fitness().score(bare)).isNotNull();
    }

    @Test
    void score_whenThereAreNoCandidates_returnsNoScoresOrDeclines() {
        FitnessResult result = fitness().score(request(0));

        if (result instanceof FitnessResult.Scores scores) {
            assertThat(scores.values()).isEmpty();
        } else {
            assertThat(result).isInstanceOf(FitnessResult.Declined.class);
        }
    }
}
