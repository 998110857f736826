package dev.nexus.host.approval;

import java.time.Instant;
import java.util.Optional;

/**
 * One line of the append-only proposal audit log. Immutable.
 *
 * @param id the entry id (time-ordered)
 * @param proposal the proposal id
 * @param from the state before; empty when the proposal was created
 * @param to the state after
 * @param actor who caused the transition
 * @param reason the reason given, if any
 * @param at when
 */
public record AuditEntry(
        String id,
        String proposal,
        Optional<String> from,
        String to,
        String actor,
        Optional<String> reason,
        Instant at) {}
