package dev.nexus.host.auth;

import dev.nexus.host.InvalidInputException;
import java.util.Locale;

/** What an API key may do. {@code admin} includes every other scope. */
public enum Scope {
    /** Manage keys, plugins and personalities; includes every other scope. */
    ADMIN,
    /** Approve or reject proposals (never one's own). */
    APPROVER,
    /** Chat, read and give feedback. */
    USER;

    /** Returns the lower-case name used in the API. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a scope label; unknown labels are {@link InvalidInputException}s listing the valid ones. */
    public static Scope parse(String label) {
        for (Scope scope : values()) {
            if (scope.label().equals(label)) {
                return scope;
            }
        }
        throw new InvalidInputException(
                "unknown scope '" + InvalidInputException.cap(label) + "'; valid scopes are admin, approver, user");
    }
}
