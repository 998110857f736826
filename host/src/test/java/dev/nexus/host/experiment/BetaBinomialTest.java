package dev.nexus.host.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BetaBinomialTest {

    @Test
    void probability_withEqualCounts_isOneHalf() {
        assertThat(BetaBinomial.probabilityBBeatsA(12, 7, 12, 7)).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void probability_matchesTheClosedFormOfSmallCases() {
        // Beta(2,1) against the uniform Beta(1,1): P = 2/3; Beta(1,2) against it: 1/3.
        assertThat(BetaBinomial.probabilityBBeatsA(0, 0, 1, 0)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(BetaBinomial.probabilityBBeatsA(0, 0, 0, 1)).isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void probability_agreesWithSamplingOnALargerCase() {
        SplittableRandom random = new SplittableRandom(5);
        int wins = 0;
        int draws = 200_000;
        for (int i = 0; i < draws; i++) {
            if (beta(random, 1 + 30, 1 + 20) > beta(random, 1 + 24, 1 + 26)) {
                wins++;
            }
        }
        assertThat(BetaBinomial.probabilityBBeatsA(24, 26, 30, 20)).isCloseTo((double) wins / draws, within(0.005));
    }

    @Test
    void probability_ofAClearlyWorseArm_isSmall_andComplementsTheReverse() {
        double p = BetaBinomial.probabilityBBeatsA(40, 10, 20, 30);
        assertThat(p).isLessThan(0.001);
        assertThat(p + BetaBinomial.probabilityBBeatsA(20, 30, 40, 10)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void bucket_isStickyPerUser_andSplitsUsersRoughlyEvenly() {
        assertThat(ExperimentService.bucket("e1", "ada")).isEqualTo(ExperimentService.bucket("e1", "ada"));
        int below = 0;
        for (int i = 0; i < 2000; i++) {
            int bucket = ExperimentService.bucket("e1", "user-" + i);
            assertThat(bucket).isBetween(0, 99);
            below += bucket < 30 ? 1 : 0;
        }
        assertThat(below).isBetween(520, 680); // 30% of 2000 = 600
    }

    /** A Beta draw as the ratio of gamma draws with integer shapes (sums of exponentials). */
    private static double beta(SplittableRandom random, int a, int b) {
        double x = gamma(random, a);
        return x / (x + gamma(random, b));
    }

    private static double gamma(SplittableRandom random, int shape) {
        double sum = 0;
        for (int i = 0; i < shape; i++) {
            sum -= Math.log(1 - random.nextDouble());
        }
        return sum;
    }
}
