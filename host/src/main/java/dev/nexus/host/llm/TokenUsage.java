package dev.nexus.host.llm;

/**
 * How many tokens a call used, as reported by the provider (estimated by the offline model). Immutable.
 *
 * @param input tokens in the prompt, zero or more
 * @param output tokens in the reply, zero or more
 */
public record TokenUsage(int input, int output) {

    /** Validates the counts. */
    public TokenUsage {
        if (input < 0 || output < 0) {
            throw new IllegalArgumentException("token counts must be >= 0, got " + input + " and " + output);
        }
    }

    /** Returns input plus output. */
    public int total() {
        return input + output;
    }
}
