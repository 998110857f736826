package dev.nexus.host.platform;

/**
 * Whom a platform message acts as: the user a platform identity is linked to, or the identity itself
 * ({@code <platform>:<platform user id>}) when it is not linked. Never the platform's user id alone:
 * a platform user called "alice" is not the API user alice unless an admin linked them. Thread-safe.
 */
@FunctionalInterface
public interface IdentityResolver {

    /** Every identity acts as itself (no links). */
    IdentityResolver UNLINKED = (platform, platformUser) -> platform + ":" + platformUser;

    /** Returns the user id a message from {@code platformUser} on {@code platform} acts as. */
    String principalOf(String platform, String platformUser);
}
