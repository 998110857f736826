package dev.nexus.api.evolution;

/**
 * Third-party scoring of candidate trait vectors during trait evolution.
 *
 * <p><b>Sandboxed.</b> A fitness function is never loaded into the host. Its jar (declaring the
 * implementation class in the manifest entry {@code Nexus-Fitness-Class}) is admitted only after a
 * bytecode scan allows every symbol it uses, and it runs in a separate JVM with a heap cap, a time
 * limit and no network. It must therefore be a pure function: no files, network, reflection, class
 * loading, threads, processes, native code, clocks or ambient randomness. Use
 * {@link FitnessRequest#seed()} for any randomness.
 *
 * <p>Not a PF4J extension point: PF4J never loads it. The sandbox child loads the class named by
 * {@code Nexus-Fitness-Class} itself, so there is no start hook and no {@code PluginContext}.
 *
 * <p>The host checks every result: exactly one finite score per candidate, each in [0, 1]. A function
 * that times out, crashes or returns invalid output repeatedly is disabled.
 */
public interface FitnessFunction {

    /** Returns a stable id for this function, {@code [a-z0-9-]+}. */
    String id();

    /**
     * Scores candidates; higher is better.
     *
     * @param request the candidates and the evidence to judge them by
     * @return one score in [0, 1] per candidate, in the same order, or a refusal
     */
    FitnessResult score(FitnessRequest request);
}
