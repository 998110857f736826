package dev.nexus.host;

/** The input is larger than the configured limit (HTTP 413). */
public class PayloadTooLargeException extends NexusException {

    private static final long serialVersionUID = 1L;

    public PayloadTooLargeException(String message) {
        super(message);
    }

    @Override
    public String title() {
        return "Payload too large";
    }
}
