package dev.nexus.api.evolution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs the fitness contract against a small sample function, and shows it catches broken ones. */
class SampleFitnessFunctionTest extends FitnessFunctionContract {

    @Override
    protected FitnessFunction newFunction() {
        return new FollowCritiques();
    }

    @Test
    void followCritiques_prefersTheDirectionCritiquesAskFor() {
        FitnessRequest request = new FitnessRequest(
                "p",
                List.of("verbosity"),
                List.of(new double[] {0.9}, new double[] {0.2}),
                List.of(new FeedbackSample(new double[] {0.8}, 0.25, Map.of("verbosity", -1), 2000, 10)),
                1);

        double[] scores = ((FitnessResult.Scores) new FollowCritiques().score(request)).values();

        assertThat(scores[1]).isGreaterThan(scores[0]);
    }

    @Test
    void contract_whenScoresLeaveTheUnitRange_fails() {
        FitnessFunctionContract contract = contractFor(request -> {
            double[] scores = new double[request.candidates().size()];
            java.util.Arrays.fill(scores, 1.5);
            return new FitnessResult.Scores(scores);
        });

        assertThatThrownBy(contract::score_givesOneFiniteUnitScorePerCandidate)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("1.5");
    }

    @Test
    void contract_whenScoresDependOnPosition_fails() {
        FitnessFunctionContract contract = contractFor(request -> {
            double[] scores = new double[request.candidates().size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = 1.0 / (i + 1);
            }
            return new FitnessResult.Scores(scores);
        });

        assertThatThrownBy(contract::score_doesNotDependOnCandidatePosition).isInstanceOf(AssertionError.class);
    }

    @Test
    void contract_whenScoringIsRandom_fails() {
        java.util.Random ambient = new java.util.Random();
        FitnessFunctionContract contract = contractFor(request -> new FitnessResult.Scores(request.candidates().stream()
                .mapToDouble(c -> ambient.nextDouble())
                .toArray()));

        assertThatThrownBy(contract::score_isDeterministic).isInstanceOf(AssertionError.class);
    }

    private static FitnessFunctionContract contractFor(Scorer scorer) {
        return new FitnessFunctionContract() {
            @Override
            protected FitnessFunction newFunction() {
                return new FitnessFunction() {
                    @Override
                    public String id() {
                        return "broken";
                    }

                    @Override
                    public FitnessResult score(FitnessRequest request) {
                        return scorer.score(request);
                    }
                };
            }
        };
    }

    private interface Scorer {
        FitnessResult score(FitnessRequest request);
    }

    /**
     * Scores a candidate by how far it moved each trait in the direction critiques asked for,
     * relative to the trait vectors the critiqued replies were written with. Pure and stateless.
     */
    static final class FollowCritiques implements FitnessFunction {
        @Override
        public String id() {
            return "follow-critiques";
        }

        @Override
        public FitnessResult score(FitnessRequest request) {
            double[] scores = new double[request.candidates().size()];
            for (int c = 0; c < scores.length; c++) {
                double[] candidate = request.candidate(c);
                double total = 0;
                int count = 0;
                for (FeedbackSample sample : request.evidence()) {
                    double[] written = sample.traits();
                    for (Map.Entry<String, Integer> critique :
                            sample.critiques().entrySet()) {
                        int t = request.traits().indexOf(critique.getKey());
                        if (t < 0) {
                            continue;
                        }
                        total += Math.signum(critique.getValue()) * (candidate[t] - written[t]);
                        count++;
                    }
                }
                scores[c] = count == 0 ? 0.5 : Math.max(0, Math.min(1, 0.5 + total / (2 * count)));
            }
            return new FitnessResult.Scores(scores);
        }
    }
}
