package dev.nexus.host.approval;

import java.util.Map;

/**
 * Carries out one kind of approved proposal. Called inside the approval's database transaction:
 * an implementation that writes through the same {@code Database} joins that transaction (Jdbi
 * reuses the thread's open handle), so the change, the proposal's state and the audit entry commit
 * or roll back together. Must be idempotent for a proposal id.
 */
@FunctionalInterface
public interface ProposalApplier {

    /**
     * Applies {@code proposal}.
     *
     * @return what it produced, for the proposal's {@code result} (e.g. {@code {"version": 7}})
     * @throws dev.nexus.host.ConflictException when what the proposal was based on has changed
     *     (the proposal becomes {@link ProposalState#STALE})
     */
    Map<String, Object> apply(Proposal proposal);
}
