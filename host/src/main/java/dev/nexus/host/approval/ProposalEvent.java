package dev.nexus.host.approval;

import java.time.Instant;

/**
 * A proposal's transition, as sent on {@code /v1/proposals/events}. Immutable.
 *
 * @param proposal the proposal id
 * @param kind its kind label
 * @param subject its subject
 * @param from the state before ({@code none} when created)
 * @param to the state after
 * @param actor who caused it
 * @param at when
 */
public record ProposalEvent(
        String proposal, String kind, String subject, String from, String to, String actor, Instant at) {}
