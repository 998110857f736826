package dev.nexus.host.sandbox;

/** What came back from scoring candidates with one sandboxed plugin. Failures are values, never exceptions. */
public sealed interface ScoreOutcome {

    /**
     * Validated scores: exactly one finite value in [0, 1] per candidate, in order.
     *
     * @param values the scores
     */
    record Scored(double[] values) implements ScoreOutcome {
        /** Copies the scores. */
        public Scored {
            values = values.clone();
        }

        /** Returns a copy of the scores. */
        @Override
        public double[] values() {
            return values.clone();
        }
    }

    /**
     * The plugin declined to judge these candidates; evolution ignores it for this run.
     *
     * @param reason the plugin's reason, capped
     */
    record Declined(String reason) implements ScoreOutcome {}

    /**
     * The call failed; evolution ignores the plugin for this run.
     *
     * @param kind what went wrong
     * @param reason a message naming the plugin and the failure
     * @param disabled whether this failure disabled the plugin
     */
    record Failed(Kind kind, String reason, boolean disabled) implements ScoreOutcome {}

    /** Why a call failed. Every kind but {@link #NOT_ENABLED} and {@link #UNAVAILABLE} counts toward disabling. */
    enum Kind {
        /** No reply within the call timeout; the child JVM was killed and will be restarted. */
        TIMEOUT,
        /** The child JVM died (out of memory, exit, crash) or broke the protocol. */
        CRASH,
        /** The plugin threw, or could not be loaded. */
        ERROR,
        /** The reply was not one finite score in [0, 1] per candidate, or was too large. */
        INVALID_OUTPUT,
        /** Threads were still alive, or CPU still burning, in the child after the call returned; the child was killed. */
        LINGERING,
        /** The plugin claimed a fitness id bound to another jar's hash (or changed its own); it was disabled at once. */
        IDENTITY,
        /** The plugin is not enabled. */
        NOT_ENABLED,
        /** The sandbox cannot run plugins here (e.g. network isolation is required but unavailable). */
        UNAVAILABLE
    }
}
