package dev.nexus.host;

import java.util.List;

/**
 * The caller sent something invalid; fix the input and try again (HTTP 400). May carry a list of
 * individual problems (e.g. every invalid field of a document), each naming its field.
 */
public class InvalidInputException extends NexusException {

    private static final long serialVersionUID = 1L;
    private static final int ECHO_LIMIT = 80;

    private final List<String> problems;

    public InvalidInputException(String message) {
        super(message);
        this.problems = List.of();
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of();
    }

    /** An error with several problems; the message summarises, {@link #problems()} lists them all. */
    public InvalidInputException(String message, List<String> problems) {
        super(message
                + (problems.isEmpty()
                        ? ""
                        : ": " + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
                                + (problems.size() > 5 ? "; and " + (problems.size() - 5) + " more" : "")));
        this.problems = List.copyOf(problems);
    }

    /** Returns the individual problems, empty when the message says it all. */
    public List<String> problems() {
        return problems;
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
        return value.length() <= ECHO_LIMIT
                ? value
                : value.substring(0, ECHO_LIMIT) + "…(" + value.length() + " chars)";
    }
}
