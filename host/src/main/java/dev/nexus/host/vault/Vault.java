package dev.nexus.host.vault;

import dev.nexus.host.ConflictException;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.auth.Caller;
import dev.nexus.host.db.Database;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credential vault: plugin secrets encrypted at rest (AES-256-GCM, a fresh nonce per value, each
 * value bound to its plugin and name), under a master key that never reaches the database, the logs
 * or an HTTP answer. Admins set, list (names only) and delete secrets; a plugin reads only its own,
 * through its {@code PluginContext.secret(name)}, where an environment variable
 * ({@code NEXUS_SECRET_<PLUGIN>_<NAME>}) still wins.
 *
 * <p>At {@link #open} the master key must open the stored key check before anything else happens: a
 * wrong key stops the start-up with a {@link VaultKeyException} and no secret is ever decrypted.
 * Thread-safe; values are read from the database on every call, so a secret set on one host is seen by
 * every host sharing the database at once.
 */
public final class Vault {

    private static final Logger LOG = LoggerFactory.getLogger(Vault.class);
    private static final Pattern PLUGIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** The longest value, in UTF-8 bytes (a PEM certificate chain fits; a file does not belong here). */
    public static final int MAX_VALUE_BYTES = 16_384;

    private static final byte[] CHECK = "nexus-vault-key-check/1".getBytes(StandardCharsets.US_ASCII);
    private static final String CHECK_CONTEXT = "nexus-vault/1\nkey-check";

    /** The outcome of a master-key rotation. */
    public record Rotation(String keyId, String previousKeyId, int secrets, Instant at) {}

    private final VaultRepository repository;
    private final Clock clock;
    private final SecureRandom random;
    private final BiPredicate<String, String> overriddenByEnvironment;
    private final Object rotating = new Object();
    private volatile MasterKey key;
    private volatile SecretCipher cipher;

    private Vault(
            VaultRepository repository,
            Clock clock,
            SecureRandom random,
            MasterKey key,
            BiPredicate<String, String> overriddenByEnvironment) {
        this.repository = repository;
        this.clock = clock;
        this.random = random;
        this.key = key;
        this.cipher = new SecretCipher(key.bytes(), random);
        this.overriddenByEnvironment = overriddenByEnvironment;
    }

    /**
     * Opens the vault: loads the master key ({@code NEXUS_VAULT_KEY}, else the key file, created on first
     * start) and proves it against the stored key check. When {@code previousKey}
     * ({@code NEXUS_VAULT_PREVIOUS_KEY}) opens the check instead, every secret is re-encrypted under the
     * new key in one transaction first.
     *
     * @param overriddenByEnvironment says whether an environment variable overrides a plugin's secret
     *     (shown in listings, so an admin knows which value a plugin really gets)
     * @throws VaultKeyException when the key is malformed or does not open the stored secrets; nothing was decrypted
     */
    public static Vault open(
            VaultConfig config,
            Path dataDir,
            Optional<String> environmentKey,
            Optional<String> previousKey,
            Database database,
            Clock clock,
            BiPredicate<String, String> overriddenByEnvironment) {
        SecureRandom random = new SecureRandom();
        Path keyFile = config.keyFile(dataDir);
        MasterKey key = MasterKey.load(environmentKey, keyFile, random);
        Vault vault = new Vault(
                new VaultRepository(database),
                Objects.requireNonNull(clock, "clock"),
                random,
                key,
                overriddenByEnvironment);
        vault.unlock(previousKey, pending(keyFile));
        return vault;
    }

    /** Returns the id (a hash) of the master key in use; safe to show. */
    public String keyId() {
        return cipher.keyId();
    }

    /**
     * Stores {@code value} as plugin {@code plugin}'s secret {@code name}, encrypted, replacing any value
     * there; returns what may be shown about it (never the value).
     *
     * @throws InvalidInputException naming the field when the plugin id, the name or the value is malformed
     */
    public SecretInfo put(String plugin, String name, String value, Caller caller) {
        requirePlugin(plugin);
        String canonical = canonicalName(name);
        if (value == null) {
            throw new InvalidInputException("field 'value' is required: the secret, e.g. {\"value\": \"…\"}");
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        try {
            if (value.isBlank()) {
                throw new InvalidInputException("field 'value' is blank; to remove a secret, DELETE /v1/secrets/"
                        + InvalidInputException.cap(plugin) + "/" + canonical);
            }
            if (bytes.length > MAX_VALUE_BYTES) {
                throw new InvalidInputException("field 'value' is " + bytes.length + " bytes; a secret is at most "
                        + MAX_VALUE_BYTES + " bytes (store a file's path in the plugin's configuration instead)");
            }
            SecretCipher current = cipher;
            return repository.put(
                    plugin,
                    canonical,
                    current.seal(bytes, context(plugin, canonical)),
                    clock.instant(),
                    caller.keyId());
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Returns what may be shown about every secret, or those of {@code plugin}, by plugin and name. */
    public List<SecretInfo> list(Optional<String> plugin) {
        plugin.ifPresent(Vault::requirePlugin);
        return repository.list(plugin);
    }

    /** Returns what may be shown about plugin {@code plugin}'s secret {@code name}, or empty. */
    public Optional<SecretInfo> find(String plugin, String name) {
        requirePlugin(plugin);
        return repository.find(plugin, canonicalName(name)).map(VaultRepository.Row::info);
    }

    /**
     * Deletes plugin {@code plugin}'s secret {@code name}.
     *
     * @throws NotFoundException when there is none
     */
    public void delete(String plugin, String name) {
        requirePlugin(plugin);
        String canonical = canonicalName(name);
        if (!repository.delete(plugin, canonical)) {
            throw new NotFoundException("plugin '" + InvalidInputException.cap(plugin) + "' has no secret '" + canonical
                    + "' in the vault; GET /v1/secrets?plugin=" + InvalidInputException.cap(plugin)
                    + " lists its secrets");
        }
    }

    /** Returns true when an environment variable overrides plugin {@code plugin}'s secret {@code name}. */
    public boolean overridden(String plugin, String name) {
        return overriddenByEnvironment.test(plugin, name);
    }

    /**
     * Returns plugin {@code plugin}'s secret {@code name} from the vault, decrypted, or empty. Only the
     * plugin's own context calls this, with its own id. Names are compared in canonical form, so
     * {@code TOKEN}, {@code token} and {@code Token} are one secret, as are {@code bot_token} and {@code bot-token}.
     *
     * @throws IllegalStateException when the stored value does not open with this host's key (another
     *     host rotated the key file's key): restart this host with the current key
     */
    public Optional<String> stored(String plugin, String name) {
        if (plugin == null
                || name == null
                || !PLUGIN.matcher(plugin).matches()
                || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        String canonical = canonicalName(name);
        return repository.find(plugin, canonical).map(row -> {
            SecretCipher current = cipher;
            try {
                byte[] bytes = current.open(row.sealed(), context(plugin, canonical));
                String value = new String(bytes, StandardCharsets.UTF_8);
                Arrays.fill(bytes, (byte) 0);
                return value;
            } catch (SecretCipher.WrongKey e) {
                throw new IllegalStateException(
                        "vault secret '" + canonical + "' of plugin '" + plugin + "' is sealed with master key "
                                + row.sealed().keyId() + " but this host holds key " + current.keyId()
                                + "; the key was rotated on another "
                                + "host: give every host the same NEXUS_VAULT_KEY and restart this one");
            }
        });
    }

    /**
     * Replaces the master key with a new random one and re-encrypts every secret under it, in one
     * transaction: either every secret opens with the new key afterwards, or nothing changed. Only for a
     * key kept in the key file (the new key is written there, owner-only); a key from
     * {@code NEXUS_VAULT_KEY} is rotated by restarting with {@code NEXUS_VAULT_PREVIOUS_KEY}.
     *
     * @throws ConflictException when the key comes from the environment, or another host rotated first
     */
    public Rotation rotate() {
        synchronized (rotating) {
            MasterKey current = key;
            Path file = current.file()
                    .orElseThrow(() -> new ConflictException("the vault master key comes from "
                            + MasterKey.ENV + ", which this host cannot change: restart with " + MasterKey.PREVIOUS_ENV
                            + " set to the current key and " + MasterKey.ENV
                            + " to a new one (openssl rand -base64 32); "
                            + "every secret is re-encrypted in one transaction at start"));
            Path next = pending(file);
            byte[] newKey = SecretCipher.newKey(random);
            try {
                // The new key is on disk before the database uses it: a crash after the commit finds it at the next
                // start.
                MasterKey.write(next, newKey, true);
                SecretCipher from = cipher;
                SecretCipher to = new SecretCipher(newKey, random);
                Instant at = clock.instant();
                int count = repository.rotate(
                        from.keyId(), to.seal(CHECK, CHECK_CONTEXT), at, row -> reseal(row, from, to));
                if (count < 0) {
                    deleteQuietly(next);
                    throw new ConflictException(
                            "the vault master key was rotated by another host sharing this database; "
                                    + "give every host the same key (NEXUS_VAULT_KEY) and restart this one");
                }
                MasterKey.write(file, newKey, true);
                deleteQuietly(next);
                this.key = new MasterKey(newKey, current.source(), current.file(), false);
                this.cipher = to;
                LOG.info(
                        "vault: master key rotated from {} to {}; {} secret(s) re-encrypted",
                        from.keyId(),
                        to.keyId(),
                        count);
                return new Rotation(to.keyId(), from.keyId(), count, at);
            } finally {
                Arrays.fill(newKey, (byte) 0);
            }
        }
    }

    /** Returns the canonical form of a secret name: lower case, {@code _} and {@code .} as {@code -}. */
    static String canonicalName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException(
                    "secret name '" + InvalidInputException.cap(name) + "' must be 1-100 letters, digits, "
                            + "dots, dashes or underscores, starting with a letter or digit, e.g. bot-token");
        }
        return name.toLowerCase(Locale.ROOT).replace('_', '-').replace('.', '-');
    }

    private static void requirePlugin(String plugin) {
        if (plugin == null || !PLUGIN.matcher(plugin).matches()) {
            throw new InvalidInputException(
                    "plugin id '" + InvalidInputException.cap(plugin) + "' must be 1-100 letters, digits, "
                            + "dots, dashes or underscores, as in the plugin's Plugin-Id (GET /v1/plugins lists them)");
        }
    }

    private static String context(String plugin, String name) {
        return "nexus-vault/1\n" + plugin + "\n" + name;
    }

    private static VaultRepository.Row reseal(VaultRepository.Row row, SecretCipher from, SecretCipher to) {
        String context = context(row.info().plugin(), row.info().name());
        try {
            byte[] plain = from.open(row.sealed(), context);
            try {
                return new VaultRepository.Row(row.info(), to.seal(plain, context));
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        } catch (SecretCipher.WrongKey e) {
            throw new VaultKeyException("vault secret '" + row.info().name() + "' of plugin '"
                    + row.info().plugin() + "' does not open with the current master key (" + e.getMessage()
                    + "); nothing was re-encrypted");
        }
    }

    /** Proves the key against the stored check; adopts a pending rotation or rotates from {@code previousKey}. */
    private void unlock(Optional<String> previousKey, Path pendingFile) {
        Optional<VaultRepository.KeyCheck> stored = repository.keyCheck();
        if (stored.isEmpty()) {
            stored = Optional.of(repository.insertKeyCheck(cipher.seal(CHECK, CHECK_CONTEXT), clock.instant()));
        }
        SecretCipher.Sealed check = stored.get().sealed();
        if (opens(cipher, check)) {
            if (key.file().isPresent()) {
                deleteQuietly(pendingFile); // a rotation that did not commit
            }
            return;
        }
        if (key.file().isPresent() && Files.exists(pendingFile)) {
            // A rotation committed but the host stopped before the key file was replaced: finish it.
            byte[] next = MasterKey.read(pendingFile);
            SecretCipher candidate = new SecretCipher(next, random);
            if (opens(candidate, check)) {
                MasterKey.write(key.file().get(), next, true);
                deleteQuietly(pendingFile);
                this.key = new MasterKey(next, key.source(), key.file(), false);
                this.cipher = candidate;
                LOG.info("vault: finished an interrupted master-key rotation; now using key {}", candidate.keyId());
                return;
            }
        }
        if (previousKey.isPresent()) {
            SecretCipher previous =
                    new SecretCipher(MasterKey.parse(previousKey.get(), MasterKey.PREVIOUS_ENV), random);
            if (opens(previous, check)) {
                SecretCipher to = cipher;
                int count = repository.rotate(
                        previous.keyId(),
                        to.seal(CHECK, CHECK_CONTEXT),
                        clock.instant(),
                        row -> reseal(row, previous, to));
                if (count >= 0) {
                    LOG.info(
                            "vault: re-encrypted {} secret(s) from key {} ({}) to key {} ({}); {} can be removed now",
                            count,
                            previous.keyId(),
                            MasterKey.PREVIOUS_ENV,
                            to.keyId(),
                            key.source(),
                            MasterKey.PREVIOUS_ENV);
                    return;
                }
                if (opens(cipher, repository.keyCheck().orElseThrow().sealed())) {
                    return; // another host starting with the same keys did it first
                }
            }
        }
        int secrets = repository.count();
        throw new VaultKeyException("the vault master key from " + key.source() + " (key id " + cipher.keyId()
                + ") is not the key the vault was sealed with (key id " + check.keyId() + ", " + secrets + " secret(s))"
                + (key.created()
                        ? "; the key file was created by this start, so the original one was lost or moved"
                        : "")
                + ". Start with the original key (set " + MasterKey.ENV
                + ", or restore the key file), or to change keys set "
                + MasterKey.PREVIOUS_ENV + " to the old key and " + MasterKey.ENV
                + " to the new one. No secret was decrypted.");
    }

    private static boolean opens(SecretCipher cipher, SecretCipher.Sealed check) {
        if (!cipher.keyId().equals(check.keyId())) {
            return false; // not even tried: the key ids differ
        }
        try {
            return Arrays.equals(cipher.open(check, CHECK_CONTEXT), CHECK);
        } catch (SecretCipher.WrongKey e) {
            return false;
        }
    }

    private static Path pending(Path keyFile) {
        return keyFile.resolveSibling(keyFile.getFileName() + ".next");
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("vault: could not delete {} ({}); delete it by hand", file, e.getMessage());
        }
    }
}
