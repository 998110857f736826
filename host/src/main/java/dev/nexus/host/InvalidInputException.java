package dev.nexus.host;

/** The caller sent something invalid; fix the input and try again (HTTP 400). */
public class InvalidInputException extends NexusException {

    private static final long serialVersionUID = 1L;
    private static final int ECHO_LIMIT = 80;

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String title() {
        return "Invalid input";
    }

    /** Caps an echoed user value so messages stay short and cannot be used to flood logs. */
    public static String cap(String value) {
        if (value == null) {
            return "null";
        }
        return value.length() <= ECHO_LIMIT ? value : value.substring(0, ECHO_LIMIT) + "…(" + value.length() + " chars)";
    }
}
