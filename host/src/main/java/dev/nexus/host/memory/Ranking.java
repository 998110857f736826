package dev.nexus.host.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ranking formula: {@code score = relevance^a × recency^b × importance^c}.
 * <ul>
 *   <li>relevance = max(semantic, keyword), at least 0.01. Semantic = a logistic curve of the cosine
 *       similarity around {@code relevanceMidpoint} (MiniLM similarities below ~0.1 are mostly noise,
 *       above ~0.5 strong); keyword = the share of the query's content words in the memory's text;</li>
 *   <li>recency = floor + (1 − floor) × 2^(−age / half-life), age from when the memory was last
 *       stated (facts) or written (episodes);</li>
 *   <li>importance = computed at write time, 0.05–1.</li>
 * </ul>
 * Immutable and thread-safe.
 */
final class Ranking {

    private final MemorySettings settings;

    Ranking(MemorySettings settings) {
        this.settings = settings;
    }

    /** The score and the parts it was made of. */
    record Scored(double score, Map<String, Double> components) {
    }

    Scored score(Optional<Double> similarity, double keyword, Instant at, boolean fact, double importance, Instant now) {
        double semantic = similarity.map(this::semantic).orElse(0.0);
        double relevance = Math.max(0.01, Math.max(semantic, keyword));
        double ageDays = Math.max(0, Duration.between(at, now).toMillis() / 86_400_000.0);
        double halfLife = fact ? settings.factHalfLifeDays() : settings.episodeHalfLifeDays();
        double recency = settings.recencyFloor() + (1 - settings.recencyFloor()) * Math.pow(2, -ageDays / halfLife);
        double score = Math.pow(relevance, settings.relevanceWeight()) * Math.pow(recency, settings.recencyWeight())
                * Math.pow(importance, settings.importanceWeight());
        Map<String, Double> components = new LinkedHashMap<>();
        components.put("relevance", round(relevance));
        similarity.ifPresent(s -> components.put("similarity", round(s)));
        components.put("keyword", round(keyword));
        components.put("recency", round(recency));
        components.put("importance", round(importance));
        components.put("ageDays", round(ageDays));
        return new Scored(score, components);
    }

    private double semantic(double cosine) {
        return 1 / (1 + Math.exp(-(cosine - settings.relevanceMidpoint()) / settings.relevanceWidth()));
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
