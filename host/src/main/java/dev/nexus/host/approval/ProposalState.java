package dev.nexus.host.approval;

import dev.nexus.host.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where a proposal is in its life. Only {@link #PENDING} can change; every other state is final.
 * An approved proposal is applied in the same transaction, so "approved" is never a resting state.
 */
public enum ProposalState {
    /** Waiting for a decision. */
    PENDING,
    /** Approved and applied. */
    APPLIED,
    /** Rejected by a reviewer. */
    REJECTED,
    /** Not decided before its expiry; counts as rejected (fail closed). */
    EXPIRED,
    /** Approved, but what it was based on had changed; refused, nothing applied. */
    STALE;

    /** Returns the label used in the API, e.g. {@code pending}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a label; unknown labels are {@link InvalidInputException}s listing the valid ones. */
    public static ProposalState parse(String label) {
        for (ProposalState state : values()) {
            if (state.label().equals(label)) {
                return state;
            }
        }
        throw new InvalidInputException(
                "unknown proposal state '" + InvalidInputException.cap(label) + "'; valid states are "
                        + Arrays.stream(values()).map(ProposalState::label).toList());
    }
}
