package dev.nexus.plugin.github;

/** A GitHub call that did not work; {@link #retriable()} says whether trying again later may. */
final class GitHubException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final boolean retriable;

    GitHubException(String message, boolean retriable) {
        super(message, null, false, false);
        this.retriable = retriable;
    }

    boolean retriable() {
        return retriable;
    }
}
