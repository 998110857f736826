package dev.nexus.plugin.files;

/** A call the workspace refuses (a path outside it, a limit): becomes a non-retriable failure with this message. */
final class Refusal extends RuntimeException {

    private static final long serialVersionUID = 1L;

    Refusal(String message) {
        super(message, null, false, false);
    }
}
