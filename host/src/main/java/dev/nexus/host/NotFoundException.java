package dev.nexus.host;

/** The named thing does not exist (HTTP 404). */
public class NotFoundException extends NexusException {

    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message);
    }

    /** Returns "unknown KIND 'ID'". */
    public static NotFoundException of(String kind, String id) {
        return new NotFoundException("unknown " + kind + " '" + InvalidInputException.cap(id) + "'");
    }

    @Override
    public String title() {
        return "Not found";
    }
}
