package dev.nexus.host;

/** The caller is not allowed: {@code unauthenticated} → 401 (no or bad key), otherwise 403 (missing scope). */
public class AccessDeniedException extends NexusException {

    private static final long serialVersionUID = 1L;
    private final boolean unauthenticated;

    private AccessDeniedException(String message, boolean unauthenticated) {
        super(message);
        this.unauthenticated = unauthenticated;
    }

    /** No key, or a key that is unknown or revoked. */
    public static AccessDeniedException unauthenticated(String message) {
        return new AccessDeniedException(message, true);
    }

    /** A valid key without the needed scope or right. */
    public static AccessDeniedException forbidden(String message) {
        return new AccessDeniedException(message, false);
    }

    public boolean unauthenticated() {
        return unauthenticated;
    }

    @Override
    public String title() {
        return unauthenticated ? "Unauthorized" : "Forbidden";
    }
}
