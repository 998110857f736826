package dev.nexus.host.approval;

import dev.nexus.host.ConflictException;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.PersonalityVersion;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Applies a trait change: a new personality version with the proposed values, compare-and-swap on
 * the proposal's base version. Payload: {@code {"personality": id, "values": {trait: value}, ...}}.
 * Stateless.
 */
final class TraitChangeApplier implements ProposalApplier {

    private final PersonalityWriter writer;

    TraitChangeApplier(PersonalityWriter writer) {
        this.writer = writer;
    }

    @Override
    public Map<String, Object> apply(Proposal proposal) {
        PersonalityId id = PersonalityId.of(proposal.subject());
        int base = proposal.baseVersion()
                .orElseThrow(() ->
                        new InvalidInputException("trait-change proposal " + proposal.id() + " has no base version"));
        Map<String, Double> values = new LinkedHashMap<>();
        if (!(proposal.payload().get("values") instanceof Map<?, ?> raw)) {
            throw new InvalidInputException("trait-change proposal " + proposal.id() + " has no 'values' object");
        }
        raw.forEach((name, value) -> values.put(String.valueOf(name), ((Number) value).doubleValue()));
        try {
            PersonalityVersion written = writer.applyTraits(id, base, values, "evolution:" + proposal.id());
            return Map.of("personality", id.value(), "version", written.version());
        } catch (StaleProposalException stale) {
            throw stale;
        } catch (ConflictException conflict) {
            throw new StaleProposalException("proposal " + proposal.id() + " was computed against version " + base
                    + " of personality '" + id + "', which is no longer current (" + conflict.getMessage()
                    + "); it is refused, not merged: run the evolution again on the current version");
        }
    }
}
