package dev.nexus.host.approval;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A proposed change waiting for (or past) a human decision. The content (kind, subject, base
 * version, payload, proposer, creation and expiry) never changes; {@link #sha256()} covers it.
 * Immutable.
 *
 * @param id the proposal id
 * @param kind what it would do
 * @param subject what it changes: a personality id, a plugin id, a tool name
 * @param baseVersion the personality version it was computed against, when it concerns one
 * @param payload the kind-specific content (JDK maps, lists and scalars)
 * @param sha256 the SHA-256 of the canonical content; approvers send back the hash they reviewed
 * @param proposer who proposed it (an API key id, or {@code system:<feature>})
 * @param createdAt when it was made
 * @param expiresAt when an undecided proposal becomes {@link ProposalState#EXPIRED}
 * @param state where it is now
 * @param decision who decided, when and why; empty while pending
 * @param result what applying it produced (e.g. the new personality version); empty unless applied
 */
public record Proposal(
        String id,
        ProposalKind kind,
        String subject,
        OptionalInt baseVersion,
        Map<String, Object> payload,
        String sha256,
        String proposer,
        Instant createdAt,
        Instant expiresAt,
        ProposalState state,
        Optional<Decision> decision,
        Map<String, Object> result) {

    /** Copies the maps. */
    public Proposal {
        payload = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(payload));
        result = result == null
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(result));
        decision = decision == null ? Optional.empty() : decision;
    }

    /**
     * A decision on a proposal. Immutable.
     *
     * @param by who decided (an API key id, or {@code system:expiry})
     * @param at when
     * @param reason why, as the reviewer wrote it
     */
    public record Decision(String by, Instant at, String reason) {}
}
