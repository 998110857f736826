package dev.nexus.api.evolution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.nexus.api.testing.Concurrently;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The tests every {@link FitnessFunction} must pass before the host will consider running it. Extend
 * it and return a fresh function from {@link #newFunction()}. The requests are generated from fixed
 * seeds, so a failure replays exactly.
 *
 * <p>What it checks: a stable, well-formed id; for every request (random, empty, without evidence,
 * unrated, extreme, large) either exactly one finite score in [0, 1] per candidate or a reasoned
 * {@link FitnessResult.Declined}; purity (the same request gives the same answer, from every thread
 * and every instance); and that a candidate's score does not depend on its position in the request.
 */
public abstract class FitnessFunctionContract {

    /** The trait names used in generated requests. */
    protected static final List<String> TRAITS = List.of("warmth", "verbosity", "formality", "humor", "directness");

    /** Returns a new function. */
    protected abstract FitnessFunction newFunction();

    @Test
    void id_isWellFormedAndStable() {
        FitnessFunction function = newFunction();

        assertThat(function.id())
                .matches("[a-z0-9-]+")
                .isEqualTo(function.id())
                .isEqualTo(newFunction().id());
    }

    @Test
    void score_givesOneFiniteUnitScorePerCandidate() {
        for (long seed = 1; seed <= 20; seed++) {
            FitnessRequest request = request(seed, 1 + (int) (seed % 13), (int) (seed * 7 % 40));
            assertValid(score(newFunction(), request), request);
        }
    }

    @Test
    void score_withoutCandidates_givesNoScoresOrDeclines() {
        FitnessRequest request = new FitnessRequest(
                "contract", TRAITS, List.of(), request(3, 0, 10).evidence(), 3);

        assertValid(score(newFunction(), request), request);
    }

    @Test
    void score_withoutEvidence_isStillValid() {
        FitnessRequest request = request(4, 6, 0);

        assertValid(score(newFunction(), request), request);
    }

    @Test
    void score_withUnratedEvidence_isStillValid() {
        List<FeedbackSample> unrated = new ArrayList<>();
        for (FeedbackSample sample : request(5, 1, 30).evidence()) {
            unrated.add(new FeedbackSample(
                    sample.traits(), Double.NaN, sample.critiques(), sample.replyLength(), sample.userMessageLength()));
        }
        FitnessRequest request =
                new FitnessRequest("contract", TRAITS, request(5, 6, 0).candidates(), unrated, 5);

        assertValid(score(newFunction(), request), request);
    }

    @Test
    void score_withExtremeCandidatesAndOneTrait_isStillValid() {
        double[] zeros = new double[TRAITS.size()];
        double[] ones = new double[TRAITS.size()];
        Arrays.fill(ones, 1.0);
        FitnessRequest extreme = new FitnessRequest(
                "contract",
                TRAITS,
                List.of(zeros, ones, zeros),
                request(6, 1, 25).evidence(),
                6);
        FitnessRequest oneTrait = new FitnessRequest(
                "contract",
                List.of("verbosity"),
                List.of(new double[] {0.0}, new double[] {0.5}, new double[] {1.0}),
                List.of(new FeedbackSample(new double[] {0.9}, 0.0, Map.of("verbosity", -1), 2400, 12)),
                6);

        assertValid(score(newFunction(), extreme), extreme);
        assertValid(score(newFunction(), oneTrait), oneTrait);
    }

    @Test
    void score_withALargeRequest_isStillValid() {
        FitnessRequest request = request(7, 300, 1_000);

        assertValid(score(newFunction(), request), request);
    }

    @Test
    void score_isDeterministic() {
        FitnessRequest request = request(8, 10, 30);

        FitnessResult first = score(newFunction(), request);

        assertThat(describe(score(newFunction(), request))).isEqualTo(describe(first));
        FitnessFunction function = newFunction();
        score(function, request(9, 4, 4));
        assertThat(describe(score(function, request)))
                .as("after scoring another request")
                .isEqualTo(describe(first));
    }

    @Test
    void score_doesNotDependOnCandidatePosition() {
        FitnessRequest request = request(10, 8, 30);
        List<double[]> reversed = new ArrayList<>(request.candidates());
        java.util.Collections.reverse(reversed);
        FitnessRequest reversedRequest = new FitnessRequest(
                request.personality(), request.traits(), reversed, request.evidence(), request.seed());

        FitnessResult forward = score(newFunction(), request);
        FitnessResult backward = score(newFunction(), reversedRequest);

        if (forward instanceof FitnessResult.Scores f && backward instanceof FitnessResult.Scores b) {
            double[] flipped = b.values();
            for (int i = 0; i < flipped.length / 2; i++) {
                double swap = flipped[i];
                flipped[i] = flipped[flipped.length - 1 - i];
                flipped[flipped.length - 1 - i] = swap;
            }
            assertThat(flipped).containsExactly(f.values());
        } else {
            assertThat(forward.getClass()).isEqualTo(backward.getClass());
        }
    }

    @Test
    void score_fromManyThreads_givesTheSameAnswer() {
        FitnessFunction function = newFunction();
        FitnessRequest request = request(11, 12, 40);
        String expected = describe(score(function, request));

        List<String> results = Concurrently.run(8, i -> describe(function.score(request)));

        assertThat(results).containsOnly(expected);
    }

    /**
     * Returns a request with {@code candidates} random trait vectors and {@code samples} random
     * feedback samples drawn from {@code seed}.
     */
    protected static FitnessRequest request(long seed, int candidates, int samples) {
        SplittableRandom random = new SplittableRandom(seed);
        List<double[]> vectors = new ArrayList<>();
        for (int i = 0; i < candidates; i++) {
            vectors.add(vector(random));
        }
        List<FeedbackSample> evidence = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            Map<String, Integer> critiques = new HashMap<>();
            if (random.nextInt(3) == 0) {
                critiques.put(TRAITS.get(random.nextInt(TRAITS.size())), random.nextBoolean() ? 1 : -1);
            }
            double rating = random.nextInt(4) == 0 ? Double.NaN : random.nextInt(5) / 4.0;
            evidence.add(new FeedbackSample(
                    vector(random), rating, critiques, 20 + random.nextInt(3000), 1 + random.nextInt(500)));
        }
        return new FitnessRequest("contract-persona", TRAITS, vectors, evidence, seed);
    }

    private static double[] vector(SplittableRandom random) {
        double[] vector = new double[TRAITS.size()];
        for (int t = 0; t < vector.length; t++) {
            vector[t] = random.nextDouble();
        }
        return vector;
    }

    private static FitnessResult score(FitnessFunction function, FitnessRequest request) {
        AtomicReference<FitnessResult> result = new AtomicReference<>();
        assertThatCode(() -> result.set(function.score(request)))
                .as("score must answer with a result (Declined when it cannot judge), not an exception")
                .doesNotThrowAnyException();
        return result.get();
    }

    private static void assertValid(FitnessResult result, FitnessRequest request) {
        assertThat(result).as("fitness result").isNotNull();
        switch (result) {
            case FitnessResult.Scores scores -> {
                assertThat(scores.values())
                        .as("one score per candidate")
                        .hasSize(request.candidates().size());
                for (double value : scores.values()) {
                    assertThat(Double.isFinite(value))
                            .as("score %s is finite", value)
                            .isTrue();
                    assertThat(value).as("score").isBetween(0.0, 1.0);
                }
            }
            case FitnessResult.Declined declined ->
                assertThat(declined.reason()).as("reason for declining").isNotBlank();
        }
    }

    private static String describe(FitnessResult result) {
        return switch (result) {
            case FitnessResult.Scores scores -> "scores " + Arrays.toString(scores.values());
            case FitnessResult.Declined declined -> "declined " + declined.reason();
        };
    }
}
