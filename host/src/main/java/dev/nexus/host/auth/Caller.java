package dev.nexus.host.auth;

import dev.nexus.host.AccessDeniedException;
import dev.nexus.host.InvalidInputException;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who is making a request: the API key's id, name, scopes and the user it acts for. Immutable.
 *
 * <p>A key bound to a user ({@code POST /v1/keys {"user": "alice"}}) acts only as that user. A key
 * with the {@code user} scope stored before keys could be bound acts as the principal
 * {@code key:<key id>}, so it can never reach anyone else's data. Admin keys act for anyone.
 *
 * @param keyId the key's id, or empty for anonymous callers of public routes
 * @param name the key's name
 * @param scopes the key's scopes
 * @param user the user id the key is bound to, or empty
 */
public record Caller(String keyId, String name, Set<Scope> scopes, Optional<String> user) {

    private static final Caller ANONYMOUS = new Caller("", "anonymous", Set.of());

    /** Copies the scopes. */
    public Caller {
        Objects.requireNonNull(keyId, "keyId");
        scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scopes));
        user = user == null ? Optional.empty() : user.filter(u -> !u.isBlank());
    }

    /** A caller whose key is bound to no user. */
    public Caller(String keyId, String name, Set<Scope> scopes) {
        this(keyId, name, scopes, Optional.empty());
    }

    /** Returns the caller of public routes. */
    public static Caller anonymous() {
        return ANONYMOUS;
    }

    /** Returns true when the caller has {@code scope}, directly or through {@code admin}. */
    public boolean has(Scope scope) {
        return scopes.contains(scope) || scopes.contains(Scope.ADMIN);
    }

    /** Returns true for admin keys, which act for anyone. */
    public boolean admin() {
        return scopes.contains(Scope.ADMIN);
    }

    /** Returns true for the anonymous caller. */
    public boolean isAnonymous() {
        return keyId.isEmpty();
    }

    /** Returns the user this key acts as: its bound user, or {@code key:<id>} for an unbound key. */
    public String principal() {
        return user.orElse(isAnonymous() ? "" : "key:" + keyId);
    }

    /** Returns true when this caller may see data owned by {@code owner}: its own, or anything for admins. */
    public boolean sees(String owner) {
        return admin() || principal().equals(owner);
    }

    /**
     * Returns the user a request acts for. For a non-admin key that is always its own user: an absent
     * or blank {@code requested} means that user, and naming another is refused. Admin keys act for
     * whoever they name (or their bound user when they name nobody).
     *
     * @param field the request field or query parameter that named the user, for the message
     * @throws AccessDeniedException (403) when a non-admin key names another user
     */
    public String actingUser(String field, Optional<String> requested) {
        Optional<String> named = requested.filter(u -> !u.isBlank());
        if (admin()) {
            return named.or(() -> user).orElse("");
        }
        String self = principal();
        if (named.isPresent() && !named.get().equals(self)) {
            throw AccessDeniedException.forbidden("this key acts for user '" + InvalidInputException.cap(self)
                    + "' only, but '" + field + "' names '" + InvalidInputException.cap(named.get())
                    + "'; leave '" + field + "' out, or use a key bound to that user");
        }
        return self;
    }
}
