package dev.nexus.plugin.email.mail;

/**
 * A mail server could not be reached or refused the connection. The message is fit to show an operator:
 * it names the server and the reason, never the password or a Java class name.
 */
public final class MailServerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean loginRefused;

    MailServerException(String message, boolean loginRefused) {
        super(message, null, false, false);
        this.loginRefused = loginRefused;
    }

    /** True when the server refused the user name or password (fix the configuration), false for a passing failure. */
    public boolean loginRefused() {
        return loginRefused;
    }
}
