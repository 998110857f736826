package dev.nexus.plugin.concise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.nexus.api.evolution.FeedbackSample;
import dev.nexus.api.evolution.FitnessFunction;
import dev.nexus.api.evolution.FitnessFunctionContract;
import dev.nexus.api.evolution.FitnessRequest;
import dev.nexus.api.evolution.FitnessResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The concise fitness, in-process: the plugin-api contract and its own behaviour. */
class ConciseFitnessTest extends FitnessFunctionContract {

    private static final List<String> TRAITS = List.of("warmth", "verbosity");
    private static final List<double[]> CANDIDATES =
            List.of(new double[] {0.5, 0.2}, new double[] {0.5, 0.5}, new double[] {0.5, 0.9});

    @Override
    protected FitnessFunction newFunction() {
        return new ConciseFitness();
    }

    @Test
    void score_whenLongRepliesWereRatedLow_prefersLowerVerbosity() {
        List<FeedbackSample> longLiked =
                List.of(sample(0.2, 0.2, 0, 200), sample(0.5, 0.6, 0, 600), sample(0.9, 1.0, 0, 1600));
        List<FeedbackSample> longDisliked =
                List.of(sample(0.2, 1.0, 0, 200), sample(0.5, 0.6, 0, 600), sample(0.9, 0.2, 0, 1600));

        double[] liked = scores(longLiked);
        double[] disliked = scores(longDisliked);

        assertThat(ConciseFitness.targetLength(longDisliked)).isLessThan(ConciseFitness.targetLength(longLiked));
        assertThat(disliked[0]).isGreaterThan(liked[0]);
        assertThat(disliked[2]).isLessThan(liked[2]);
        assertThat(disliked[0]).isGreaterThan(disliked[2]);
    }

    @Test
    void score_whenRepliesWereCalledTooLong_keepsTheTargetBelowThem() {
        List<FeedbackSample> neutral =
                List.of(sample(0.7, 1.0, 0, 900), sample(0.8, 1.0, 0, 1200), sample(0.9, 1.0, 0, 1500));
        List<FeedbackSample> tooLong =
                List.of(sample(0.7, 1.0, -1, 900), sample(0.8, 1.0, 0, 1200), sample(0.9, 1.0, 0, 1500));

        assertThat(ConciseFitness.targetLength(tooLong))
                .isLessThanOrEqualTo(600.0 + 1e-9)
                .isLessThan(ConciseFitness.targetLength(neutral));
        assertThat(scores(tooLong)[2]).isLessThan(scores(neutral)[2]);
    }

    @Test
    void targetLength_whenRepliesWereCalledTooShort_movesAboveThem() {
        List<FeedbackSample> liked = List.of(sample(0.2, 1.0, 0, 150), sample(0.6, 0.8, 0, 700));
        List<FeedbackSample> tooShort =
                List.of(sample(0.2, 1.0, 1, 150), sample(0.25, 1.0, 1, 300), sample(0.6, 0.8, 0, 700));

        assertThat(ConciseFitness.targetLength(tooShort))
                .isGreaterThanOrEqualTo(450.0 - 1e-9)
                .isGreaterThan(ConciseFitness.targetLength(liked));
    }

    @Test
    void targetLength_withoutEvidence_isTheShortAnswerPrior() {
        assertThat(ConciseFitness.targetLength(List.of())).isEqualTo(ConciseFitness.PRIOR_TARGET, offset(1e-9));
    }

    @Test
    void score_withoutAVerbosityTrait_declinesSayingWhy() {
        FitnessRequest request =
                new FitnessRequest("support", List.of("warmth"), List.of(new double[] {0.5}), List.of(), 1);

        assertThat(new ConciseFitness().score(request))
                .isEqualTo(new FitnessResult.Declined("no 'verbosity' trait to judge reply length by"));
    }

    private static double[] scores(List<FeedbackSample> evidence) {
        FitnessResult result =
                new ConciseFitness().score(new FitnessRequest("support", TRAITS, CANDIDATES, evidence, 3));
        return ((FitnessResult.Scores) result).values();
    }

    private static FeedbackSample sample(double verbosity, double rating, int critique, int length) {
        Map<String, Integer> critiques = critique == 0 ? Map.of() : Map.of("verbosity", critique);
        return new FeedbackSample(new double[] {0.5, verbosity}, rating, critiques, length, 40);
    }
}
