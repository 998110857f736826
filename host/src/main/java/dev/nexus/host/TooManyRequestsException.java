package dev.nexus.host;

/**
 * The caller is over one of its limits (request rate, concurrent streams); wait and try again (HTTP
 * 429 with {@code Retry-After}).
 */
public class TooManyRequestsException extends NexusException {

    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    /**
     * @param retryAfterSeconds how long the caller should wait before trying again, at least 1
     */
    public TooManyRequestsException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    /** Returns the whole seconds to wait before trying again (the {@code Retry-After} header), at least 1. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    @Override
    public String title() {
        return "Too many requests";
    }
}
