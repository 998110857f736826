package dev.nexus.host.knowledge;

/**
 * The {@code knowledge} configuration section. Immutable; every default is stated here once.
 *
 * @param directory where pack files ({@code *.yaml}, {@code *.yml}, {@code *.json}) are read from;
 *     empty = {@code <data-dir>/knowledge}
 * @param scanDepth how many messages keys are matched against: the new message plus
 *     {@code scanDepth - 1} recent turns (default 2, as SillyTavern)
 * @param semanticThreshold cosine similarity above which a pack without keys is active (default 0.35)
 * @param maxFactsPerPack the most facts one active pack contributes per turn (default 5)
 * @param budgetShare the share of a turn's recall budget knowledge may take first (default 0.5);
 *     what it leaves goes to memories
 * @param factThreshold cosine similarity a pack fact needs with the message to be injected, unless its
 *     pack is manually set to {@code always} (default {@value #DEFAULT_FACT_THRESHOLD}, calibrated by
 *     {@code KnowledgeActivationBenchmark}, see docs/benchmarks.md)
 * @param maxFactsPerTurn the most pack facts one turn injects, across all packs (default 3)
 * @param factMargin a fact is injected only when its similarity is within this distance of the turn's
 *     best fact (default {@value #DEFAULT_FACT_MARGIN}): a clear best match does not drag in its
 *     weaker neighbours
 * @param maxRecursionSteps the most World Info scan steps per turn, the first over the chat included
 *     (default 10; 1 turns recursion off): SillyTavern's "max recursion steps", here never unlimited
 * @param worldInfoSeed a fixed basis for World Info's random draws (probability, group weights) instead
 *     of the conversation id, to reproduce a reported turn or to keep tests stable; unset (default) =
 *     per conversation
 */
public record KnowledgeSettings(
        String directory,
        Integer scanDepth,
        Double semanticThreshold,
        Integer maxFactsPerPack,
        Double budgetShare,
        Double factThreshold,
        Integer maxFactsPerTurn,
        Double factMargin,
        Integer maxRecursionSteps,
        Long worldInfoSeed) {

    /** The calibrated default of {@code fact-margin}. */
    public static final double DEFAULT_FACT_MARGIN = 0.05;

    /** The calibrated default of {@code fact-threshold}. */
    public static final double DEFAULT_FACT_THRESHOLD = 0.375;

    /** The settings without the fact relevance keys (their defaults apply). */
    public KnowledgeSettings(
            String directory,
            Integer scanDepth,
            Double semanticThreshold,
            Integer maxFactsPerPack,
            Double budgetShare) {
        this(directory, scanDepth, semanticThreshold, maxFactsPerPack, budgetShare, null, null, null, null, null);
    }

    /** The settings without the World Info keys (their defaults apply). */
    public KnowledgeSettings(
            String directory,
            Integer scanDepth,
            Double semanticThreshold,
            Integer maxFactsPerPack,
            Double budgetShare,
            Double factThreshold,
            Integer maxFactsPerTurn,
            Double factMargin) {
        this(
                directory,
                scanDepth,
                semanticThreshold,
                maxFactsPerPack,
                budgetShare,
                factThreshold,
                maxFactsPerTurn,
                factMargin,
                null,
                null);
    }

    /** Applies defaults and validates. */
    public KnowledgeSettings {
        directory = directory == null ? "" : directory.strip();
        scanDepth = scanDepth == null ? 2 : scanDepth;
        semanticThreshold = semanticThreshold == null ? 0.35 : semanticThreshold;
        maxFactsPerPack = maxFactsPerPack == null ? 5 : maxFactsPerPack;
        budgetShare = budgetShare == null ? 0.5 : budgetShare;
        factThreshold = factThreshold == null ? DEFAULT_FACT_THRESHOLD : factThreshold;
        maxFactsPerTurn = maxFactsPerTurn == null ? 3 : maxFactsPerTurn;
        factMargin = factMargin == null ? DEFAULT_FACT_MARGIN : factMargin;
        maxRecursionSteps = maxRecursionSteps == null ? 10 : maxRecursionSteps;
        if (maxRecursionSteps < 1 || maxRecursionSteps > 100) {
            throw new IllegalArgumentException("max-recursion-steps must be 1-100, got " + maxRecursionSteps);
        }
        if (!(factMargin >= 0 && factMargin <= 2)) {
            throw new IllegalArgumentException("fact-margin must be between 0 and 2, got " + factMargin);
        }
        if (!(factThreshold >= -1 && factThreshold <= 1)) {
            throw new IllegalArgumentException("fact-threshold must be between -1 and 1, got " + factThreshold);
        }
        if (maxFactsPerTurn < 0 || maxFactsPerTurn > 1000) {
            throw new IllegalArgumentException("max-facts-per-turn must be 0-1000, got " + maxFactsPerTurn);
        }
        if (scanDepth < 1 || scanDepth > 100) {
            throw new IllegalArgumentException("scan-depth must be 1-100, got " + scanDepth);
        }
        if (!(semanticThreshold >= -1 && semanticThreshold <= 1)) {
            throw new IllegalArgumentException("semantic-threshold must be between -1 and 1, got " + semanticThreshold);
        }
        if (maxFactsPerPack < 0 || maxFactsPerPack > 1000) {
            throw new IllegalArgumentException("max-facts-per-pack must be 0-1000, got " + maxFactsPerPack);
        }
        if (!(budgetShare >= 0 && budgetShare <= 1)) {
            throw new IllegalArgumentException("budget-share must be between 0 and 1, got " + budgetShare);
        }
    }

    /** Returns the defaults. */
    public static KnowledgeSettings defaults() {
        return new KnowledgeSettings(null, null, null, null, null, null, null, null, null, null);
    }
}
