package dev.nexus.host.vault;

import java.time.Instant;

/**
 * What the vault shows about a stored secret: never its value. Immutable.
 *
 * @param plugin the plugin id the secret belongs to
 * @param name the secret's name, in its canonical form (lower case, dashes)
 * @param keyId the id (a hash) of the master key the value is sealed with
 * @param createdAt when it was first set
 * @param updatedAt when it was last set
 * @param updatedBy the API key id that last set it
 */
public record SecretInfo(
        String plugin, String name, String keyId, Instant createdAt, Instant updatedAt, String updatedBy) {}
