package dev.nexus.host.experiment;

/**
 * The Bayesian comparison of two success rates: each arm's rate has a Beta(1 + successes, 1 +
 * failures) posterior (a uniform prior), and {@link #probabilityBBeatsA} is the exact posterior
 * probability that arm B's rate exceeds arm A's, by the closed-form sum over B's successes (no
 * sampling, so the same counts always give the same answer). Stateless.
 */
final class BetaBinomial {

    private BetaBinomial() {}

    /**
     * Returns P(p_B &gt; p_A) for p_A ~ Beta(1 + sa, 1 + fa) and p_B ~ Beta(1 + sb, 1 + fb).
     *
     * @throws IllegalArgumentException for negative counts
     */
    static double probabilityBBeatsA(long sa, long fa, long sb, long fb) {
        if (sa < 0 || fa < 0 || sb < 0 || fb < 0) {
            throw new IllegalArgumentException(
                    "counts must not be negative: " + sa + ", " + fa + ", " + sb + ", " + fb);
        }
        double alphaA = 1 + sa;
        double betaA = 1 + fa;
        double alphaB = 1 + sb;
        double betaB = 1 + fb;
        double total = 0;
        double lbetaA = logBeta(alphaA, betaA);
        for (int i = 0; i < alphaB; i++) {
            total +=
                    Math.exp(logBeta(alphaA + i, betaA + betaB) - Math.log(betaB + i) - logBeta(1 + i, betaB) - lbetaA);
        }
        return Math.min(1, Math.max(0, total));
    }

    /** Returns the posterior mean of a rate with {@code s} successes and {@code f} failures. */
    static double posteriorMean(long s, long f) {
        return (1.0 + s) / (2.0 + s + f);
    }

    static double logBeta(double a, double b) {
        return logGamma(a) + logGamma(b) - logGamma(a + b);
    }

    private static final double[] LANCZOS = {
        0.99999999999980993,
        676.5203681218851,
        -1259.1392167224028,
        771.32342877765313,
        -176.61502916214059,
        12.507343278686905,
        -0.13857109526572012,
        9.9843695780195716e-6,
        1.5056327351493116e-7
    };

    /** The natural log of the gamma function for x &gt; 0 (Lanczos, g = 7; about 15 significant digits). */
    static double logGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double z = x - 1;
        double sum = LANCZOS[0];
        for (int i = 1; i < LANCZOS.length; i++) {
            sum += LANCZOS[i] / (z + i);
        }
        double t = z + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
