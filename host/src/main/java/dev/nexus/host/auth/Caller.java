package dev.nexus.host.auth;

import java.util.EnumSet;
import java.util.Set;

/**
 * Who is making a request: the API key's id and name and its scopes. Immutable.
 *
 * @param keyId the key's id, or empty for anonymous callers of public routes
 * @param name the key's name
 * @param scopes the key's scopes
 */
public record Caller(String keyId, String name, Set<Scope> scopes) {

    private static final Caller ANONYMOUS = new Caller("", "anonymous", Set.of());

    /** Copies the scopes. */
    public Caller {
        scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scopes));
    }

    /** Returns the caller of public routes. */
    public static Caller anonymous() {
        return ANONYMOUS;
    }

    /** Returns true when the caller has {@code scope}, directly or through {@code admin}. */
    public boolean has(Scope scope) {
        return scopes.contains(scope) || scopes.contains(Scope.ADMIN);
    }

    /** Returns true for the anonymous caller. */
    public boolean isAnonymous() {
        return keyId.isEmpty();
    }
}
