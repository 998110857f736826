package dev.nexus.host.evolution;

import dev.nexus.api.evolution.FitnessRequest;
import dev.nexus.api.evolution.FitnessResult;

/**
 * A fitness function the engine calls besides its own surrogate, e.g. an approved sandboxed
 * {@code FitnessFunction} plugin (the sandbox adapter implements this). Implementations must be
 * thread-safe; the engine calls {@link #score} once per generation with all new candidates.
 *
 * <p>The engine validates every answer: one finite score in [0, 1] per candidate. A function that
 * throws, declines or answers invalidly is left out of the run, and the run's evidence says why.
 */
public interface ExternalFitness {

    /** Returns the function's stable id, e.g. the plugin id. */
    String id();

    /** Returns the function's version, e.g. the plugin version. */
    String version();

    /** Returns the SHA-256 (hex) of the code that scores, e.g. the plugin jar's hash. */
    String sha256();

    /**
     * Scores candidates; higher is better.
     *
     * @param request the candidates and evidence
     * @return one score in [0, 1] per candidate, or a refusal
     */
    FitnessResult score(FitnessRequest request);
}
