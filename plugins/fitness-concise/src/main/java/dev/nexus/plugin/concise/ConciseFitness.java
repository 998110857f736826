package dev.nexus.plugin.concise;

import dev.nexus.api.evolution.FeedbackSample;
import dev.nexus.api.evolution.FitnessFunction;
import dev.nexus.api.evolution.FitnessRequest;
import dev.nexus.api.evolution.FitnessResult;
import java.util.List;

/**
 * A sandboxed fitness function that rewards concise replies, for support personalities: people who
 * ask a support bot something want the answer, not an essay.
 *
 * <p>It predicts how long a candidate's replies would be from its {@code verbosity} trait (a log-linear
 * fit of reply length on verbosity over the evidence, anchored by a prior so a few samples cannot bend
 * it backwards), estimates the length people are happy with (the lengths of replies weighted by their
 * ratings, so long replies rated low stop pulling it up, starting from a short-answer prior, kept below
 * replies called "too long" and above replies called "too short"), and scores each candidate by how close its predicted length is to that
 * target, penalising "longer than wanted" more than "shorter than wanted".
 *
 * <p>Pure and deterministic: it uses only the request (no clock, no randomness, no I/O), so it passes
 * the sandbox's admission scan. Declines when the personality has no {@code verbosity} trait.
 * Stateless and thread-safe.
 */
public final class ConciseFitness implements FitnessFunction {

    static final String VERBOSITY = "verbosity";

    /** A short support answer, in characters: the target before any evidence. */
    static final double PRIOR_TARGET = 280;

    private static final double PRIOR_TARGET_WEIGHT = 2;
    /** Prior reply lengths at verbosity 0 and 1: one or two sentences versus a long explanation. */
    private static final double PRIOR_SHORTEST = 60;

    private static final double PRIOR_LONGEST = 1500;
    private static final double MIN_TARGET = 40;
    private static final double MAX_TARGET = 4000;
    /** Tolerances in log-length: a reply twice as long as wanted scores ~0.14, twice as short ~0.69. */
    private static final double WIDTH_OVER = 0.35;

    private static final double WIDTH_UNDER = 0.8;
    /** A critiqued reply moves the target at least this far past it, in log-length (a factor of 1.5). */
    private static final double CRITIQUE_STEP = Math.log(1.5);

    @Override
    public String id() {
        return "fitness-concise";
    }

    @Override
    public FitnessResult score(FitnessRequest request) {
        int verbosity = request.traits().indexOf(VERBOSITY);
        if (verbosity < 0) {
            return new FitnessResult.Declined("no '" + VERBOSITY + "' trait to judge reply length by");
        }
        LengthModel lengths = LengthModel.fit(request.evidence(), verbosity);
        double target = Math.log(targetLength(request.evidence()));
        double[] scores = new double[request.candidates().size()];
        for (int i = 0; i < scores.length; i++) {
            double predicted = lengths.logLength(request.candidates().get(i)[verbosity]);
            double distance = predicted - target;
            double width = distance > 0 ? WIDTH_OVER : WIDTH_UNDER;
            scores[i] = Math.exp(-0.5 * (distance / width) * (distance / width));
        }
        return new FitnessResult.Scores(scores);
    }

    /**
     * The reply length people seem happy with, in characters: the lengths of replies weighted by their
     * rating (so well-liked lengths attract and disliked ones do not), starting from a short-answer
     * prior, then kept below every reply called "too long" and above every reply called "too short".
     */
    static double targetLength(List<FeedbackSample> evidence) {
        double sum = PRIOR_TARGET_WEIGHT * Math.log(PRIOR_TARGET);
        double weight = PRIOR_TARGET_WEIGHT;
        double upper = Math.log(MAX_TARGET);
        double lower = Math.log(MIN_TARGET);
        for (FeedbackSample sample : evidence) {
            if (sample.replyLength() <= 0) {
                continue;
            }
            double length = Math.log(sample.replyLength());
            if (sample.rated()) {
                double rating = Math.max(0, Math.min(1, sample.rating()));
                sum += rating * length;
                weight += rating;
            }
            int critique = sample.critiques().getOrDefault(VERBOSITY, 0);
            if (critique < 0) {
                upper = Math.min(upper, length - CRITIQUE_STEP);
            } else if (critique > 0) {
                lower = Math.max(lower, length + CRITIQUE_STEP);
            }
        }
        double target = sum / weight;
        // Contradictory critiques (too long below too short) meet in the middle.
        target = lower <= upper ? Math.max(lower, Math.min(upper, target)) : (lower + upper) / 2;
        return Math.max(MIN_TARGET, Math.min(MAX_TARGET, Math.exp(target)));
    }

    /**
     * Log reply length as a linear function of verbosity, fitted by weighted least squares over the
     * evidence plus two prior points (verbosity 0 and 1), so it is defined with no evidence at all.
     */
    record LengthModel(double intercept, double slope) {

        static LengthModel fit(List<FeedbackSample> evidence, int verbosity) {
            double n = 2;
            double sx = 1;
            double sy = Math.log(PRIOR_SHORTEST) + Math.log(PRIOR_LONGEST);
            double sxx = 1;
            double sxy = Math.log(PRIOR_LONGEST);
            for (FeedbackSample sample : evidence) {
                double[] traits = sample.traits();
                if (sample.replyLength() <= 0 || verbosity >= traits.length) {
                    continue;
                }
                double x = traits[verbosity];
                double y = Math.log(sample.replyLength());
                n += 1;
                sx += x;
                sy += y;
                sxx += x * x;
                sxy += x * y;
            }
            double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
            // More verbose never means shorter: a backwards fit from noisy evidence is clamped to flat.
            slope = Math.max(0, slope);
            return new LengthModel((sy - slope * sx) / n, slope);
        }

        double logLength(double verbosity) {
            return intercept + slope * verbosity;
        }
    }
}
