package dev.nexus.host.links;

import java.time.Instant;
import java.util.Objects;

/**
 * A platform identity linked to a user: messages from {@code identity} act as {@code user}. Immutable.
 *
 * @param identity the platform identity, {@code <platform>:<platform user id>}, e.g. {@code telegram:123}
 * @param user the user id it acts as
 * @param createdAt when it was linked
 * @param createdBy the id of the admin key that linked it
 */
public record Link(String identity, String user, Instant createdAt, String createdBy) {

    /** Validates the link. */
    public Link {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
    }
}
