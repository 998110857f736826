package dev.nexus.host.evolution;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Predicted satisfaction (a normalised rating) as a function of the trait vector, learned from the
 * rated feedback pooled over every rater. Immutable and thread-safe.
 *
 * <p>The model is a Bayesian ridge regression on a separable quadratic, centred on the current
 * vector {@code c}: {@code r(x) = b0 + sum_i b_i (x_i - c_i) + a_i (x_i - c_i)^2 + u_rater + noise}.
 * The prior puts the peak at {@code c} (curvature {@link EvolutionTuning#curvature()}), so without
 * evidence the status quo wins; each rater gets a shrunk personal offset so a generous rater's
 * stars do not read as a better vector. Interactions between traits are not modelled.
 */
final class RatingSurrogate {

    private final double[] center;
    private final double[] coefficients;
    private final double[][] covariance;
    private final int ratedCount;

    private RatingSurrogate(double[] center, double[] coefficients, double[][] covariance, int ratedCount) {
        this.center = center;
        this.coefficients = coefficients;
        this.covariance = covariance;
        this.ratedCount = ratedCount;
    }

    /** Fits the surrogate to the rated events among {@code evidence} over the trait dimensions {@code names}. */
    static RatingSurrogate fit(
            List<String> names, double[] center, List<FeedbackEvidence> evidence, EvolutionTuning tuning) {
        int dims = names.size();
        int features = 1 + 2 * dims;
        List<FeedbackEvidence> rated =
                evidence.stream().filter(FeedbackEvidence::isRated).toList();
        Map<String, Integer> raters = new LinkedHashMap<>();
        for (FeedbackEvidence event : rated) {
            event.rater().ifPresent(rater -> raters.putIfAbsent(rater, features + raters.size()));
        }
        int unknowns = features + (raters.size() > 1 ? raters.size() : 0);
        double noisePrecision = 1 / (tuning.ratingNoise() * tuning.ratingNoise());

        double[][] normal = new double[unknowns][unknowns];
        double[] rhs = new double[unknowns];
        double mean =
                rated.stream().mapToDouble(FeedbackEvidence::rating).average().orElse(0.5);
        double[] priorMean = new double[unknowns];
        double[] priorPrecision = new double[unknowns];
        priorMean[0] = mean;
        priorPrecision[0] = 1;
        for (int i = 0; i < dims; i++) {
            priorPrecision[1 + i] = 1;
            priorMean[1 + dims + i] = -tuning.curvature();
            priorPrecision[1 + dims + i] = 0.25;
        }
        for (int j = features; j < unknowns; j++) {
            priorPrecision[j] = 1 / (tuning.raterBias() * tuning.raterBias());
        }
        for (int j = 0; j < unknowns; j++) {
            normal[j][j] += priorPrecision[j];
            rhs[j] += priorPrecision[j] * priorMean[j];
        }
        double[] row = new double[unknowns];
        int[] nonZero = new int[features + 1];
        for (FeedbackEvidence event : rated) {
            java.util.Arrays.fill(row, 0);
            features(names, center, event.traits(), row);
            int count = 0;
            for (int j = 0; j < features; j++) {
                nonZero[count++] = j;
            }
            if (unknowns > features && event.rater().isPresent()) {
                int column = raters.get(event.rater().orElseThrow());
                row[column] = 1;
                nonZero[count++] = column;
            }
            for (int a = 0; a < count; a++) {
                int ia = nonZero[a];
                rhs[ia] += noisePrecision * row[ia] * event.rating();
                for (int b = 0; b < count; b++) {
                    int ib = nonZero[b];
                    normal[ia][ib] += noisePrecision * row[ia] * row[ib];
                }
            }
        }
        Cholesky cholesky = new Cholesky(normal);
        double[] solution = cholesky.solve(rhs);
        double[] coefficients = java.util.Arrays.copyOf(solution, features);
        return new RatingSurrogate(center.clone(), coefficients, cholesky.inverseBlock(features), rated.size());
    }

    /** Returns the number of rated events the model learned from. */
    int ratedCount() {
        return ratedCount;
    }

    /** Returns the predicted normalised rating of {@code x} for a typical rater. */
    double mean(double[] x) {
        double[] phi = phi(x);
        double sum = 0;
        for (int j = 0; j < phi.length; j++) {
            sum += phi[j] * coefficients[j];
        }
        return sum;
    }

    /** Returns the standard deviation of the predicted mean at {@code x} (the model's uncertainty). */
    double uncertainty(double[] x) {
        double[] phi = phi(x);
        double sum = 0;
        for (int a = 0; a < phi.length; a++) {
            for (int b = 0; b < phi.length; b++) {
                sum += phi[a] * covariance[a][b] * phi[b];
            }
        }
        return Math.sqrt(Math.max(sum, 0));
    }

    private double[] phi(double[] x) {
        int dims = center.length;
        double[] phi = new double[1 + 2 * dims];
        phi[0] = 1;
        for (int i = 0; i < dims; i++) {
            double z = x[i] - center[i];
            phi[1 + i] = z;
            phi[1 + dims + i] = z * z;
        }
        return phi;
    }

    private static void features(List<String> names, double[] center, Map<String, Double> traits, double[] row) {
        int dims = names.size();
        row[0] = 1;
        for (int i = 0; i < dims; i++) {
            double z = traits.getOrDefault(names.get(i), center[i]) - center[i];
            row[1 + i] = z;
            row[1 + dims + i] = z * z;
        }
    }
}
