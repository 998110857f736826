package dev.nexus.host.approval;

import dev.nexus.host.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;

/** What a proposal would do once approved. */
public enum ProposalKind {
    /** New trait values for a personality, from an evolution run. */
    TRAIT_CHANGE,
    /** Restore an earlier personality version (as a new version; history is never rewritten). */
    ROLLBACK,
    /** Enable an admitted sandboxed plugin (a fitness function). */
    PLUGIN_ENABLEMENT,
    /** Run a risky tool call. */
    TOOL_CALL,
    /** Create a new personality blended from well-rated ones (never created without approval). */
    PERSONALITY_BLEND;

    /** Returns the label used in the API, e.g. {@code trait-change}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a label; unknown labels are {@link InvalidInputException}s listing the valid ones. */
    public static ProposalKind parse(String label) {
        for (ProposalKind kind : values()) {
            if (kind.label().equals(label)) {
                return kind;
            }
        }
        throw new InvalidInputException(
                "unknown proposal kind '" + InvalidInputException.cap(label) + "'; valid kinds are "
                        + Arrays.stream(values()).map(ProposalKind::label).toList());
    }
}
