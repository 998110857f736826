package dev.nexus.host.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ranking formula of hybrid retrieval (docs/memory.md, "Ranking"):
 * <pre>
 * calibrated: relevance = (wd × max(0, cosine) + wl × bm25 / most the query could score) / (wd + wl)  0–1
 * blend:  relevance = (wd × max(0, cosine) + wl × bm25 / best bm25 of the query) / (wd + wl)      0–1
 * rrf:    relevance = (wd / (k + denseRank) + wl / (k + lexicalRank)) / ((wd + wl) / (k + 1))      0–1
 * score  = (relevance + rb × recency + ib × importance) / (1 + rb + ib)                          0–1
 * </pre>
 * The blend keeps how strong each match is (a weak full-text match of a common word adds little);
 * reciprocal-rank fusion only how they are ordered (first in both lists is 1). Recency and importance are
 * bounded additive boosts: together they can move a memory by at most rb + ib of relevance (0.1
 * with the defaults), so they reorder near-ties and order memories when nothing matches well (a
 * vague "any dinner idea?" brings the recent diet and home first), but never bury a clear match.
 * Immutable and thread-safe.
 */
final class Ranking {

    private final MemorySettings settings;

    Ranking(MemorySettings settings) {
        this.settings = settings;
    }

    /** The score and the parts it was made of. */
    record Scored(double score, Map<String, Double> components) {}

    /**
     * Scores one candidate.
     *
     * @param denseRank its rank in the vector list (1 = nearest), 0 when not in it
     * @param similarity its cosine similarity to the query, NaN when unknown
     * @param lexicalRank its rank in the full-text list, 0 when not in it
     * @param bm25 its BM25 score (0 when not in the full-text list)
     * @param bestBm25 what BM25 scores are divided by: the most the query's terms could score (calibrated) or the
     *     query's best score (blend); 0 when nothing matched
     * @param keyword the share of the query's content words in it (shown, not scored)
     */
    Scored score(
            int denseRank,
            double similarity,
            int lexicalRank,
            double bm25,
            double bestBm25,
            double keyword,
            Instant at,
            boolean fact,
            double importance,
            Instant now) {
        double wd = settings.denseWeight();
        double wl = settings.lexicalWeight();
        double relevance;
        if (wd + wl == 0) {
            relevance = 0;
        } else if (settings.fusion().equals("rrf")) {
            double k = settings.fusionK();
            double fused = (denseRank > 0 ? wd / (k + denseRank) : 0) + (lexicalRank > 0 ? wl / (k + lexicalRank) : 0);
            relevance = fused / ((wd + wl) / (k + 1));
        } else {
            double dense = Double.isNaN(similarity) ? 0 : Math.max(0, similarity);
            double lexical = bestBm25 > 0 ? bm25 / bestBm25 : 0;
            relevance = (wd * dense + wl * lexical) / (wd + wl);
        }
        double ageDays = Math.max(0, Duration.between(at, now).toMillis() / 86_400_000.0);
        double halfLife = fact ? settings.factHalfLifeDays() : settings.episodeHalfLifeDays();
        double recency = settings.recencyFloor() + (1 - settings.recencyFloor()) * Math.pow(2, -ageDays / halfLife);
        double rb = settings.recencyBoost();
        double ib = settings.importanceBoost();
        double score = (relevance + rb * recency + ib * importance) / (1 + rb + ib);
        Map<String, Double> components = new LinkedHashMap<>();
        components.put("relevance", round(relevance));
        if (!Double.isNaN(similarity)) {
            components.put("similarity", round(similarity));
        }
        components.put("bm25", round(bm25));
        components.put("keyword", round(keyword));
        components.put("recency", round(recency));
        components.put("importance", round(importance));
        components.put("ageDays", round(ageDays));
        return new Scored(score, components);
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
