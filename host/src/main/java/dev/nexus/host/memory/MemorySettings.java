package dev.nexus.host.memory;

/**
 * The {@code memory} configuration section: ranking weights and limits. Immutable; every default is
 * stated here once. The ranking formula is in {@code docs/memory.md} and {@link Ranking}:
 * reciprocal-rank fusion of the vector and full-text lists, times bounded recency and importance
 * boosts. The defaults were chosen on {@code MemoryBenchmark} (docs/benchmarks.md).
 *
 * @param denseWeight weight of the vector list in the fusion
 * @param lexicalWeight weight of the full-text (BM25) list in the fusion
 * @param fusionK the reciprocal-rank constant k (larger = ranks further down count more)
 * @param recencyBoost how much recency adds to relevance at most (0 = none; at most 1)
 * @param importanceBoost how much importance adds to relevance at most (0 = none; at most 1)
 * @param factHalfLifeDays days after which a fact's recency has decayed half way to the floor
 * @param episodeHalfLifeDays the same for episodes (conversation messages fade faster)
 * @param recencyFloor the least recency a memory keeps however old, so old but vital facts survive
 * @param minRecallSimilarity a memory is put into a turn only if it shares a word with the message or its
 *     cosine similarity is at least this (search still lists it)
 * @param candidates how many candidates each list (vector, full text) contributes per search
 * @param maxRecalled the most memories put into one turn
 * @param minRecallScore memories scoring below this are not put into a turn (search still lists them)
 * @param maxFactChars the longest fact accepted
 * @param maxFactsPerUser facts kept per user; consolidation deletes the least valuable beyond it
 * @param maxEpisodesPerUser episodes kept per user; consolidation summarises and deletes beyond it
 * @param consolidateAfterDays episodes older than this are summarised into facts by consolidation
 * @param consolidationIntervalMinutes how often consolidation runs (0 = never on a schedule)
 * @param embeddingCacheSize texts whose vectors are cached
 * @param fusion how the two lists are combined: {@code calibrated} (weighted cosine + BM25 divided by the
 *     most the query's terms could score, the default), {@code blend} (the same, BM25 divided by the query's best
 *     match) or {@code rrf} (reciprocal-rank fusion with {@code fusionK})
 * @param slotBoost what a memory gains (in relevance, at most 1) when a question asks about a slot of the user's
 *     (home, job) and it is the latest statement in that slot, or an earlier one when the question asks for
 *     the past ("before", "used to"); 0 = off
 */
public record MemorySettings(
        Double denseWeight,
        Double lexicalWeight,
        Double fusionK,
        Double recencyBoost,
        Double importanceBoost,
        Double factHalfLifeDays,
        Double episodeHalfLifeDays,
        Double recencyFloor,
        Double minRecallSimilarity,
        Integer candidates,
        Integer maxRecalled,
        Double minRecallScore,
        Integer maxFactChars,
        Integer maxFactsPerUser,
        Integer maxEpisodesPerUser,
        Integer consolidateAfterDays,
        Integer consolidationIntervalMinutes,
        Integer embeddingCacheSize,
        String fusion,
        Double slotBoost) {

    /** Applies defaults and validates. */
    public MemorySettings {
        denseWeight = denseWeight == null ? 1.0 : denseWeight;
        lexicalWeight = lexicalWeight == null ? 0.3 : lexicalWeight;
        fusionK = fusionK == null ? 60.0 : fusionK;
        recencyBoost = recencyBoost == null ? 0.05 : recencyBoost;
        importanceBoost = importanceBoost == null ? 0.05 : importanceBoost;
        factHalfLifeDays = factHalfLifeDays == null ? 30.0 : factHalfLifeDays;
        episodeHalfLifeDays = episodeHalfLifeDays == null ? 7.0 : episodeHalfLifeDays;
        recencyFloor = recencyFloor == null ? 0.1 : recencyFloor;
        minRecallSimilarity = minRecallSimilarity == null ? 0.1 : minRecallSimilarity;
        candidates = candidates == null ? 100 : candidates;
        maxRecalled = maxRecalled == null ? 12 : maxRecalled;
        minRecallScore = minRecallScore == null ? 0.02 : minRecallScore;
        maxFactChars = maxFactChars == null ? 1000 : maxFactChars;
        maxFactsPerUser = maxFactsPerUser == null ? 200_000 : maxFactsPerUser;
        maxEpisodesPerUser = maxEpisodesPerUser == null ? 20_000 : maxEpisodesPerUser;
        consolidateAfterDays = consolidateAfterDays == null ? 30 : consolidateAfterDays;
        consolidationIntervalMinutes = consolidationIntervalMinutes == null ? 360 : consolidationIntervalMinutes;
        embeddingCacheSize = embeddingCacheSize == null ? 10_000 : embeddingCacheSize;
        fusion = fusion == null || fusion.isBlank()
                ? "calibrated"
                : fusion.strip().toLowerCase(java.util.Locale.ROOT);
        if (!fusion.equals("blend") && !fusion.equals("rrf") && !fusion.equals("calibrated")) {
            throw new IllegalArgumentException(
                    "memory.fusion must be 'calibrated', 'blend' or 'rrf', got '" + fusion + "'");
        }
        for (double weight : new double[] {denseWeight, lexicalWeight}) {
            if (!(weight >= 0 && weight <= 10)) {
                throw new IllegalArgumentException(
                        "memory.dense-weight and memory.lexical-weight must be between 0 and 10, got " + weight);
            }
        }
        slotBoost = slotBoost == null ? 0.2 : slotBoost;
        if (!(slotBoost >= 0 && slotBoost <= 1)) {
            throw new IllegalArgumentException("memory.slot-boost must be between 0 and 1, got " + slotBoost);
        }
        if (!(fusionK >= 0 && fusionK <= 1000)) {
            throw new IllegalArgumentException("memory.fusion-k must be between 0 and 1000, got " + fusionK);
        }
        for (double boost : new double[] {recencyBoost, importanceBoost}) {
            if (!(boost >= 0 && boost <= 1)) {
                throw new IllegalArgumentException(
                        "memory.recency-boost and memory.importance-boost must be between 0 and 1, got " + boost
                                + "; they only reorder near-ties");
            }
        }
        if (!(factHalfLifeDays > 0) || !(episodeHalfLifeDays > 0)) {
            throw new IllegalArgumentException("half-lives must be positive days");
        }
        if (!(recencyFloor >= 0 && recencyFloor < 1)) {
            throw new IllegalArgumentException("recency-floor must be in [0, 1), got " + recencyFloor);
        }
        if (!(minRecallSimilarity >= -1 && minRecallSimilarity <= 1)) {
            throw new IllegalArgumentException(
                    "memory.min-recall-similarity must be between -1 and 1, got " + minRecallSimilarity);
        }
        if (candidates < 1
                || maxRecalled < 0
                || maxFactChars < 1
                || maxFactsPerUser < 1
                || maxEpisodesPerUser < 1
                || consolidateAfterDays < 1
                || consolidationIntervalMinutes < 0
                || embeddingCacheSize < 0) {
            throw new IllegalArgumentException("memory limits must be positive");
        }
    }

    /** Returns the defaults. */
    public static MemorySettings defaults() {
        return new MemorySettings(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
    }
}
