package dev.nexus.host.vault;

import java.nio.file.Path;

/**
 * The {@code vault} configuration section. The master key itself never goes into the configuration:
 * it comes from {@code NEXUS_VAULT_KEY} or from the key file named here. Immutable.
 *
 * @param keyFile the master key file used when {@code NEXUS_VAULT_KEY} is not set; created on first start,
 *     owner-only (default {@code <server.data-dir>/vault.key})
 */
public record VaultConfig(String keyFile) {

    /** States the defaults. */
    public VaultConfig {
        keyFile = keyFile == null ? "" : keyFile.strip();
    }

    /** Returns the key file, resolved against the data directory when relative or unset. */
    public Path keyFile(Path dataDir) {
        return keyFile.isEmpty() ? dataDir.resolve("vault.key") : dataDir.resolve(keyFile);
    }
}
