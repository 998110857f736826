package dev.nexus.host;

/**
 * The root of the host's exceptions. Subclasses are chosen by what the caller does next; the HTTP
 * layer maps each to one status in one place ({@code host.http.Problems}). Messages name the value,
 * the expectation and the fix, never a secret.
 */
public abstract class NexusException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    protected NexusException(String message) {
        super(message);
    }

    protected NexusException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A short, stable title for problem documents, e.g. "Not found". */
    public abstract String title();
}
