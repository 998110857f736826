package dev.nexus.host.vault;

import dev.nexus.host.NexusException;

/**
 * The vault's master key is missing, malformed or not the key the stored secrets were sealed with.
 * Thrown at start-up (the host does not start, and no secret was decrypted) and never carries the key.
 */
public final class VaultKeyException extends NexusException {

    private static final long serialVersionUID = 1L;

    public VaultKeyException(String message) {
        super(message);
    }

    @Override
    public String title() {
        return "Vault master key";
    }
}
