package dev.nexus.host;

/** The request clashes with the current state (a stale version, a duplicate); re-read and decide (HTTP 409). */
public class ConflictException extends NexusException {

    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }

    @Override
    public String title() {
        return "Conflict";
    }
}
