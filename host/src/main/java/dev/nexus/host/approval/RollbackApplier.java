package dev.nexus.host.approval;

import dev.nexus.host.ConflictException;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.PersonalityVersion;
import java.util.Map;

/**
 * Applies a rollback: a new personality version with the content of an earlier one (history is
 * never rewritten), compare-and-swap on the base version. Payload: {@code {"targetVersion": n}}.
 * Stateless.
 */
final class RollbackApplier implements ProposalApplier {

    private final PersonalityWriter writer;

    RollbackApplier(PersonalityWriter writer) {
        this.writer = writer;
    }

    @Override
    public Map<String, Object> apply(Proposal proposal) {
        PersonalityId id = PersonalityId.of(proposal.subject());
        int base = proposal.baseVersion()
                .orElseThrow(
                        () -> new InvalidInputException("rollback proposal " + proposal.id() + " has no base version"));
        if (!(proposal.payload().get("targetVersion") instanceof Number target)) {
            throw new InvalidInputException("rollback proposal " + proposal.id() + " has no 'targetVersion'");
        }
        try {
            PersonalityVersion written = writer.restore(id, base, target.intValue(), "rollback:" + proposal.id());
            return Map.of("personality", id.value(), "version", written.version(), "restored", target.intValue());
        } catch (ConflictException conflict) {
            throw new StaleProposalException("rollback " + proposal.id() + " was proposed against version " + base
                    + " of personality '" + id + "', which is no longer current (" + conflict.getMessage()
                    + "); propose the rollback again");
        }
    }
}
