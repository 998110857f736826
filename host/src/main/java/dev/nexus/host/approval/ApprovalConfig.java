package dev.nexus.host.approval;

/**
 * The {@code approval} configuration section. Immutable.
 *
 * @param proposalTtlHours how long a proposal waits for a decision before it expires (default 72)
 */
public record ApprovalConfig(Integer proposalTtlHours) {

    /** States the defaults and validates. */
    public ApprovalConfig {
        proposalTtlHours = proposalTtlHours == null ? 72 : proposalTtlHours;
        if (proposalTtlHours < 1 || proposalTtlHours > 24 * 365) {
            throw new IllegalArgumentException(
                    "proposal-ttl-hours must be between 1 and 8760, got " + proposalTtlHours);
        }
    }

    /** Returns the defaults. */
    public static ApprovalConfig defaults() {
        return new ApprovalConfig(null);
    }
}
