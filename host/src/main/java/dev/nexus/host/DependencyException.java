package dev.nexus.host;

/**
 * Something we depend on failed: a language model, a database, a remote service. {@code retriable}
 * failures map to 503 (try again later), others to 502 (the dependency answered wrongly).
 */
public class DependencyException extends NexusException {

    private static final long serialVersionUID = 1L;
    private final boolean retriable;

    public DependencyException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    public boolean retriable() {
        return retriable;
    }

    @Override
    public String title() {
        return retriable ? "Dependency unavailable" : "Dependency failed";
    }
}
