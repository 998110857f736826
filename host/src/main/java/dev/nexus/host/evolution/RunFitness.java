package dev.nexus.host.evolution;

import dev.nexus.api.evolution.FeedbackSample;
import dev.nexus.api.evolution.FitnessRequest;
import dev.nexus.api.evolution.FitnessResult;
import dev.nexus.host.InvalidInputException;
import java.util.List;

/**
 * The fitness of one run: surrogate satisfaction minus the critique penalty plus the weighted
 * external scores, optionally with an exploration bonus. Deterministic for a given request, so
 * Jenetics' per-phenotype cache cannot keep a lucky value: every value is a prediction from all the
 * evidence, not one person's rating. Confined to the run's thread.
 */
final class RunFitness {

    /** An external function failed; the engine leaves it out and runs again. */
    static final class ExternalFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient WeightedFitness function;

        ExternalFailure(WeightedFitness function, String reason) {
            super(reason, null, false, false);
            this.function = function;
        }
    }

    private final EvolutionRequest request;
    private final TraitSpace space;
    private final RatingSurrogate ratings;
    private final CritiqueModel critiques;
    private final List<WeightedFitness> external;
    private final List<FeedbackSample> samples;

    RunFitness(
            EvolutionRequest request,
            TraitSpace space,
            RatingSurrogate ratings,
            CritiqueModel critiques,
            List<WeightedFitness> external) {
        this.request = request;
        this.space = space;
        this.ratings = ratings;
        this.critiques = critiques;
        this.external = List.copyOf(external);
        this.samples = external.isEmpty()
                ? List.of()
                : request.evidence().stream()
                        .map(e -> new FeedbackSample(
                                space.vector(e.traits()),
                                e.rating(),
                                e.critiques(),
                                e.replyLength(),
                                e.messageLength()))
                        .toList();
    }

    /** Returns the fitness of each candidate, without the exploration bonus. */
    double[] exploit(List<double[]> candidates) {
        double[] values = new double[candidates.size()];
        for (int c = 0; c < values.length; c++) {
            double[] x = candidates.get(c);
            values[c] = ratings.mean(x) - critiques.penalty(x);
        }
        for (WeightedFitness function : external) {
            double[] scores = score(function, candidates);
            for (int c = 0; c < values.length; c++) {
                values[c] += function.weight() * scores[c];
            }
        }
        return values;
    }

    /** Returns the objective the search maximises: fitness plus the exploration bonus. */
    double[] objective(List<double[]> candidates) {
        double[] values = exploit(candidates);
        double exploration = request.tuning().exploration();
        if (exploration > 0) {
            for (int c = 0; c < values.length; c++) {
                values[c] += exploration * ratings.uncertainty(candidates.get(c));
            }
        }
        return values;
    }

    /** Returns the surrogate's predicted rating of {@code x}. */
    double predictedRating(double[] x) {
        return ratings.mean(x);
    }

    private double[] score(WeightedFitness function, List<double[]> candidates) {
        FitnessResult result;
        try {
            result = function.function()
                    .score(new FitnessRequest(
                            request.personality().value(), space.names(), candidates, samples, request.seed()));
        } catch (RuntimeException e) {
            throw new ExternalFailure(function, "failed: " + InvalidInputException.cap(String.valueOf(e.getMessage())));
        }
        double[] scores = switch (result) {
            case null -> throw new ExternalFailure(function, "invalid output: no result");
            case FitnessResult.Declined declined ->
                throw new ExternalFailure(function, "declined: " + InvalidInputException.cap(declined.reason()));
            case FitnessResult.Scores given -> given.values();
        };
        if (scores.length != candidates.size()) {
            throw new ExternalFailure(
                    function, "invalid output: " + scores.length + " scores for " + candidates.size() + " candidates");
        }
        for (double score : scores) {
            if (!(score >= 0 && score <= 1)) {
                throw new ExternalFailure(function, "invalid output: score " + score + " is not in [0, 1]");
            }
        }
        return scores;
    }
}
