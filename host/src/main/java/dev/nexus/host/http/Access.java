package dev.nexus.host.http;

import dev.nexus.host.auth.Scope;
import java.util.Optional;

/** Who may call a route. */
public enum Access {
    /** Anyone, without a key (health, webhooks that authenticate themselves). */
    PUBLIC(null),
    /** A key with the {@code user} scope (or {@code admin}). */
    USER(Scope.USER),
    /** A key with the {@code approver} scope (or {@code admin}). */
    APPROVER(Scope.APPROVER),
    /** A key with the {@code admin} scope. */
    ADMIN(Scope.ADMIN);

    private final Scope scope;

    Access(Scope scope) {
        this.scope = scope;
    }

    /** Returns the scope a key needs, or empty for public routes. */
    public Optional<Scope> scope() {
        return Optional.ofNullable(scope);
    }
}
