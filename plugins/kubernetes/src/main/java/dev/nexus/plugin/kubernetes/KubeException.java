package dev.nexus.plugin.kubernetes;

/** A Kubernetes call that did not work; {@link #retriable()} says whether trying again later may. */
final class KubeException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final boolean retriable;

    KubeException(String message, boolean retriable) {
        super(message, null, false, false);
        this.retriable = retriable;
    }

    boolean retriable() {
        return retriable;
    }
}
