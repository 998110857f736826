package dev.nexus.host.memory;

/**
 * The {@code memory} configuration section: ranking weights and limits. Immutable; every default is
 * stated here once. The ranking formula is in {@code docs/memory.md}:
 * {@code score = relevance^relevanceWeight × recency^recencyWeight × importance^importanceWeight}.
 *
 * @param relevanceWeight exponent of relevance (0 ignores it)
 * @param recencyWeight exponent of recency (0 ignores it)
 * @param importanceWeight exponent of importance (0 ignores it)
 * @param factHalfLifeDays days after which a fact's recency has decayed half way to the floor
 * @param episodeHalfLifeDays the same for episodes (conversation messages fade faster)
 * @param recencyFloor the least recency a memory keeps however old, so old but vital facts survive
 * @param relevanceMidpoint the cosine similarity that counts as half relevant
 * @param relevanceWidth how quickly relevance rises around the midpoint (smaller = sharper)
 * @param candidates how many nearest vectors are re-ranked per search
 * @param maxRecalled the most memories put into one turn
 * @param minRecallScore memories scoring below this are not put into a turn (search still lists them)
 * @param maxFactChars the longest fact accepted
 * @param maxFactsPerUser facts kept per user; consolidation deletes the least valuable beyond it
 * @param maxEpisodesPerUser episodes kept per user; consolidation summarises and deletes beyond it
 * @param consolidateAfterDays episodes older than this are summarised into facts by consolidation
 * @param consolidationIntervalMinutes how often consolidation runs (0 = never on a schedule)
 * @param embeddingCacheSize texts whose vectors are cached
 */
public record MemorySettings(
        Double relevanceWeight, Double recencyWeight, Double importanceWeight, Double factHalfLifeDays,
        Double episodeHalfLifeDays, Double recencyFloor, Double relevanceMidpoint, Double relevanceWidth,
        Integer candidates, Integer maxRecalled, Double minRecallScore, Integer maxFactChars, Integer maxFactsPerUser,
        Integer maxEpisodesPerUser, Integer consolidateAfterDays, Integer consolidationIntervalMinutes,
        Integer embeddingCacheSize) {

    /** Applies defaults and validates. */
    public MemorySettings {
        relevanceWeight = relevanceWeight == null ? 1.0 : relevanceWeight;
        recencyWeight = recencyWeight == null ? 1.0 : recencyWeight;
        importanceWeight = importanceWeight == null ? 1.0 : importanceWeight;
        factHalfLifeDays = factHalfLifeDays == null ? 30.0 : factHalfLifeDays;
        episodeHalfLifeDays = episodeHalfLifeDays == null ? 7.0 : episodeHalfLifeDays;
        recencyFloor = recencyFloor == null ? 0.1 : recencyFloor;
        relevanceMidpoint = relevanceMidpoint == null ? 0.2 : relevanceMidpoint;
        relevanceWidth = relevanceWidth == null ? 0.12 : relevanceWidth;
        candidates = candidates == null ? 60 : candidates;
        maxRecalled = maxRecalled == null ? 12 : maxRecalled;
        minRecallScore = minRecallScore == null ? 0.02 : minRecallScore;
        maxFactChars = maxFactChars == null ? 1000 : maxFactChars;
        maxFactsPerUser = maxFactsPerUser == null ? 200_000 : maxFactsPerUser;
        maxEpisodesPerUser = maxEpisodesPerUser == null ? 20_000 : maxEpisodesPerUser;
        consolidateAfterDays = consolidateAfterDays == null ? 30 : consolidateAfterDays;
        consolidationIntervalMinutes = consolidationIntervalMinutes == null ? 360 : consolidationIntervalMinutes;
        embeddingCacheSize = embeddingCacheSize == null ? 10_000 : embeddingCacheSize;
        for (double weight : new double[] {relevanceWeight, recencyWeight, importanceWeight}) {
            if (!(weight >= 0 && weight <= 10)) {
                throw new IllegalArgumentException("ranking weights must be between 0 and 10, got " + weight);
            }
        }
        if (!(factHalfLifeDays > 0) || !(episodeHalfLifeDays > 0)) {
            throw new IllegalArgumentException("half-lives must be positive days");
        }
        if (!(recencyFloor >= 0 && recencyFloor < 1)) {
            throw new IllegalArgumentException("recency-floor must be in [0, 1), got " + recencyFloor);
        }
        if (!(relevanceWidth > 0)) {
            throw new IllegalArgumentException("relevance-width must be positive, got " + relevanceWidth);
        }
        if (candidates < 1 || maxRecalled < 0 || maxFactChars < 1 || maxFactsPerUser < 1 || maxEpisodesPerUser < 1
                || consolidateAfterDays < 1 || consolidationIntervalMinutes < 0 || embeddingCacheSize < 0) {
            throw new IllegalArgumentException("memory limits must be positive");
        }
    }

    /** Returns the defaults. */
    public static MemorySettings defaults() {
        return new MemorySettings(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
    }
}
