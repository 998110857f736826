package dev.nexus.api.evolution;

/** The outcome of {@link FitnessFunction#score}. */
public sealed interface FitnessResult {

    /**
     * One score per candidate, in order, each finite and in [0, 1].
     *
     * @param values the scores
     */
    record Scores(double[] values) implements FitnessResult {
        /** Copies the scores. */
        public Scores {
            values = values.clone();
        }

        /** Returns a copy of the scores. */
        @Override
        public double[] values() {
            return values.clone();
        }
    }

    /**
     * The function has nothing to say about these candidates (e.g. too little evidence); the host
     * then ignores it for this run.
     *
     * @param reason why, for the run's evidence
     */
    record Declined(String reason) implements FitnessResult {}
}
