package dev.nexus.plugin.email.mail;

import java.time.Duration;
import java.util.Objects;

/**
 * Where a mail server is and how to log in. Immutable; {@link #toString()} never shows the password.
 *
 * @param host the server's host name
 * @param port its port, 1-65535
 * @param security how the connection is protected
 * @param username the login name
 * @param password the password (an app password for most providers); empty logs in without one
 * @param timeout how long connecting, and each read or write, may take
 */
public record Endpoint(String host, int port, Security security, String username, String password, Duration timeout) {

    /** Validates. */
    public Endpoint {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(timeout, "timeout");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1-65535, got " + port);
        }
    }

    /** Returns this endpoint with another password (secrets are read at each use). */
    public Endpoint withPassword(String newPassword) {
        return new Endpoint(host, port, security, username, newPassword, timeout);
    }

    @Override
    public String toString() {
        return host + ":" + port + " (" + security.name().toLowerCase(java.util.Locale.ROOT) + ", user " + username
                + ")";
    }
}
