package dev.nexus.host.auth;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * An API key as listed (never with its secret). Immutable.
 *
 * @param id the key's id
 * @param name a human name for the key
 * @param prefix the first characters of the secret, to recognise it
 * @param scopes what it may do
 * @param createdAt when it was created
 * @param createdBy the id of the key that created it, or empty for the bootstrap key
 * @param revokedAt when it was revoked, or empty while active
 * @param lastUsedAt when it was last used (updated at most once a minute), or empty
 * @param user the user id the key acts for, or empty (admin keys, approver-only keys, keys made before binding)
 */
public record ApiKey(
        String id,
        String name,
        String prefix,
        Set<Scope> scopes,
        Instant createdAt,
        Optional<String> createdBy,
        Optional<Instant> revokedAt,
        Optional<Instant> lastUsedAt,
        Optional<String> user) {

    /** Copies the scopes. */
    public ApiKey {
        scopes = Set.copyOf(scopes);
        user = user == null ? Optional.empty() : user;
    }

    /** A key bound to no user. */
    public ApiKey(
            String id,
            String name,
            String prefix,
            Set<Scope> scopes,
            Instant createdAt,
            Optional<String> createdBy,
            Optional<Instant> revokedAt,
            Optional<Instant> lastUsedAt) {
        this(id, name, prefix, scopes, createdAt, createdBy, revokedAt, lastUsedAt, Optional.empty());
    }
}
