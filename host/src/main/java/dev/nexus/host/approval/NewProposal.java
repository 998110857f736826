package dev.nexus.host.approval;

import dev.nexus.host.InvalidInputException;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What a feature submits to the approval queue. Immutable.
 *
 * @param kind what it would do
 * @param subject what it changes (personality id, plugin id, tool name)
 * @param baseVersion the personality version it is based on (compare-and-swap on apply), if any
 * @param payload kind-specific content as JDK maps, lists, strings, numbers and booleans
 */
public record NewProposal(ProposalKind kind, String subject, OptionalInt baseVersion, Map<String, Object> payload) {

    /** Validates and copies. */
    public NewProposal {
        if (kind == null) {
            throw new IllegalArgumentException("kind is required");
        }
        if (subject == null || subject.isBlank() || subject.length() > 200) {
            throw new InvalidInputException(
                    "proposal subject must be 1-200 characters, got '" + InvalidInputException.cap(subject) + "'");
        }
        baseVersion = baseVersion == null ? OptionalInt.empty() : baseVersion;
        payload = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(payload));
    }
}
