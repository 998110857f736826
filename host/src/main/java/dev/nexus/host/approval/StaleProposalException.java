package dev.nexus.host.approval;

import dev.nexus.host.ConflictException;

/** What an approved proposal was based on has changed; it is refused and becomes stale (HTTP 409). */
final class StaleProposalException extends ConflictException {

    private static final long serialVersionUID = 1L;

    StaleProposalException(String message) {
        super(message);
    }
}
