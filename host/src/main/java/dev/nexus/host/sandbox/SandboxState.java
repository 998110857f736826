package dev.nexus.host.sandbox;

/** The life cycle of an admitted sandboxed plugin. */
public enum SandboxState {
    /** Admitted by the scan, waiting for a human to approve enabling it. Never runs. */
    PENDING_APPROVAL("pending-approval"),
    /** Approved: evolution may call it. */
    ENABLED("enabled"),
    /** Turned off, by an operator or after repeated failures; enabling it again needs approval again. */
    DISABLED("disabled");

    private final String label;

    SandboxState(String label) {
        this.label = label;
    }

    /** Returns the stored and displayed label, e.g. {@code pending-approval}. */
    public String label() {
        return label;
    }

    /** Returns the state with {@code label}; throws IllegalArgumentException for any other text. */
    public static SandboxState ofLabel(String label) {
        for (SandboxState state : values()) {
            if (state.label.equals(label)) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown sandbox state '" + label + "'");
    }
}
