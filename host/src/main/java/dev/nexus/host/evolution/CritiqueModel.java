package dev.nexus.host.evolution;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where critiques place each trait's ideal. Immutable and thread-safe.
 *
 * <p>A critique is a signed direction, far richer than a star: "too long" at verbosity 0.7 says the
 * ideal is below 0.7. The model treats every feedback event as a chance to critique each trait: a
 * person critiques trait {@code i} with probability {@code p} when the reply's value is more than
 * the tolerance {@code tau} from their ideal {@code theta}, in the direction of {@code theta}, and
 * stays silent otherwise. So silence near a value is evidence too, which stops the bisection-like
 * steps from overshooting. The posterior over {@code theta} (on a grid over the trait's bounds,
 * with {@code p} unknown and averaged out) gives a mean and a confidence per trait.
 *
 * <p>Silence only counts once critiques are in use at all: with no critique anywhere in the
 * evidence (a ratings-only audience) the model has no opinion.
 */
final class CritiqueModel {

    private static final int GRID = 201;
    private static final double[] CRITIQUE_RATES = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
    private static final double FLOOR = 1e-6;

    private final double[] ideal;
    private final double[] confidence;
    private final double weight;

    private CritiqueModel(double[] ideal, double[] confidence, double weight) {
        this.ideal = ideal;
        this.confidence = confidence;
        this.weight = weight;
    }

    /** Learns from {@code evidence} over the trait dimensions {@code names} with their bounds. */
    static CritiqueModel fit(
            List<String> names,
            double[] center,
            double[] min,
            double[] max,
            List<FeedbackEvidence> evidence,
            EvolutionTuning tuning) {
        int dims = names.size();
        double[] ideal = center.clone();
        double[] confidence = new double[dims];
        boolean inUse = evidence.stream().anyMatch(event -> !event.critiques().isEmpty());
        if (inUse) {
            for (int i = 0; i < dims; i++) {
                double[] posterior = posterior(names.get(i), center[i], min[i], max[i], evidence, tuning);
                double mean = 0;
                double square = 0;
                for (int k = 0; k < GRID; k++) {
                    double theta = at(k, min[i], max[i]);
                    mean += posterior[k] * theta;
                    square += posterior[k] * theta * theta;
                }
                double variance = Math.max(square - mean * mean, 0);
                double flat = (max[i] - min[i]) * (max[i] - min[i]) / 12;
                ideal[i] = mean;
                confidence[i] = flat <= 0 ? 0 : Math.max(0, Math.min(1, 1 - variance / flat));
            }
        }
        return new CritiqueModel(ideal, confidence, tuning.critiqueWeight());
    }

    /** Returns the penalty (in rating units, at least 0) for {@code x} straying from the critiqued ideals. */
    double penalty(double[] x) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            double gap = x[i] - ideal[i];
            sum += confidence[i] * gap * gap;
        }
        return weight * sum;
    }

    /** Returns the estimated ideal of trait dimension {@code i}. */
    double ideal(int i) {
        return ideal[i];
    }

    /** Returns how sure the critiques are about trait dimension {@code i}, in [0, 1]. */
    double confidence(int i) {
        return confidence[i];
    }

    private static double[] posterior(
            String name,
            double center,
            double min,
            double max,
            List<FeedbackEvidence> evidence,
            EvolutionTuning tuning) {
        // Events repeat the same deployed value many times: count (value, direction) pairs once.
        Map<Long, Integer> counts = new HashMap<>();
        Map<Long, double[]> keys = new HashMap<>();
        for (FeedbackEvidence event : evidence) {
            double value = event.traits().getOrDefault(name, center);
            int direction = event.critiques().getOrDefault(name, 0);
            long key = Double.doubleToLongBits(value) * 3 + direction + 1;
            counts.merge(key, 1, Integer::sum);
            keys.putIfAbsent(key, new double[] {value, direction});
        }
        double tau = tuning.critiqueTolerance();
        double softness = tau / 4;
        double[][] logLikelihood = new double[CRITIQUE_RATES.length][GRID];
        for (Map.Entry<Long, Integer> entry : counts.entrySet()) {
            double[] key = keys.get(entry.getKey());
            double value = key[0];
            int direction = (int) key[1];
            int count = entry.getValue();
            for (int k = 0; k < GRID; k++) {
                double theta = at(k, min, max);
                double raise = sigmoid((theta - value - tau) / softness);
                double lower = sigmoid((value - theta - tau) / softness);
                for (int r = 0; r < CRITIQUE_RATES.length; r++) {
                    double p = CRITIQUE_RATES[r];
                    double likelihood = switch (direction) {
                        case 1 -> p * raise;
                        case -1 -> p * lower;
                        default -> 1 - p * (raise + lower);
                    };
                    logLikelihood[r][k] += count * Math.log(Math.max(likelihood, FLOOR));
                }
            }
        }
        double best = Double.NEGATIVE_INFINITY;
        for (double[] byTheta : logLikelihood) {
            for (double value : byTheta) {
                best = Math.max(best, value);
            }
        }
        double[] posterior = new double[GRID];
        double total = 0;
        for (double[] byTheta : logLikelihood) {
            for (int k = 0; k < GRID; k++) {
                double weight = Math.exp(byTheta[k] - best);
                posterior[k] += weight;
                total += weight;
            }
        }
        for (int k = 0; k < GRID; k++) {
            posterior[k] /= total;
        }
        return posterior;
    }

    private static double at(int k, double min, double max) {
        return min + (max - min) * k / (GRID - 1);
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
