package dev.nexus.host.vault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the vault's master key comes from: the environment variable {@code NEXUS_VAULT_KEY}, or else a
 * key file (created on first start, readable by its owner only). The key is 32 bytes written as
 * base64 (or 64 hex digits). Messages name the source and the fix, never the key. Immutable.
 *
 * @param bytes the key
 * @param source where it came from, in words ({@code NEXUS_VAULT_KEY}, {@code key file /data/vault.key})
 * @param file the key file when the key came from one (rotation through the API rewrites it)
 * @param created true when this start created the key file
 */
record MasterKey(byte[] bytes, String source, Optional<Path> file, boolean created) {

    private static final Logger LOG = LoggerFactory.getLogger(MasterKey.class);
    static final String ENV = "NEXUS_VAULT_KEY";
    static final String PREVIOUS_ENV = "NEXUS_VAULT_PREVIOUS_KEY";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    MasterKey {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public String toString() {
        return "MasterKey[" + source + "]"; // never the key
    }

    /** The key from {@code NEXUS_VAULT_KEY} when it is set, else from {@code keyFile} (created when missing). */
    static MasterKey load(Optional<String> environment, Path keyFile, SecureRandom random) {
        if (environment.isPresent()) {
            return new MasterKey(parse(environment.get(), ENV), ENV, Optional.empty(), false);
        }
        if (Files.exists(keyFile)) {
            return new MasterKey(read(keyFile), "key file " + keyFile, Optional.of(keyFile), false);
        }
        byte[] key = SecretCipher.newKey(random);
        write(keyFile, key, false);
        LOG.info(
                "vault: created master key file {} (owner-only); back it up: the stored secrets cannot be read without it",
                keyFile);
        return new MasterKey(key, "key file " + keyFile, Optional.of(keyFile), true);
    }

    /** Parses a key given as base64 (standard or URL-safe) or as 64 hex digits. */
    static byte[] parse(String text, String source) {
        String value = text.strip();
        byte[] key;
        try {
            key = value.length() == 64 && value.chars().allMatch(c -> Character.digit(c, 16) >= 0)
                    ? HexFormat.of().parseHex(value)
                    : Base64.getMimeDecoder().decode(value.replace('-', '+').replace('_', '/'));
        } catch (IllegalArgumentException e) {
            throw new VaultKeyException(source + " is not a vault master key: expected 32 random bytes as base64 "
                    + "(create one with: openssl rand -base64 32)");
        }
        if (key.length != SecretCipher.KEY_BYTES) {
            throw new VaultKeyException(source + " holds " + key.length + " bytes; a vault master key is "
                    + SecretCipher.KEY_BYTES + " random bytes as base64 (create one with: openssl rand -base64 32)");
        }
        return key;
    }

    static byte[] read(Path file) {
        try {
            tighten(file);
            return parse(Files.readString(file, StandardCharsets.US_ASCII), "vault key file " + file);
        } catch (IOException e) {
            throw new VaultKeyException("cannot read the vault key file " + file + " (" + e.getMessage()
                    + "); fix its permissions or set vault.key-file to another path");
        }
    }

    /**
     * Writes {@code key} to {@code file}, readable and writable by its owner only from the moment it
     * exists (on POSIX file systems).
     *
     * @param replace true to replace an existing file (atomically, through a temporary file beside it)
     */
    static void write(Path file, byte[] key, boolean replace) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            String text = Base64.getEncoder().encodeToString(key) + "\n";
            Path target = replace ? parent.resolve(file.getFileName() + ".tmp") : file;
            Files.deleteIfExists(replace ? target : parent.resolve(file.getFileName() + ".tmp"));
            create(target);
            Files.writeString(target, text, StandardCharsets.US_ASCII);
            if (replace) {
                try {
                    Files.move(target, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(target, file, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (FileAlreadyExistsException e) {
            throw new VaultKeyException("the vault key file " + file + " appeared while this host was creating it; "
                    + "another host shares this data directory? Start again");
        } catch (IOException e) {
            throw new VaultKeyException("cannot write the vault key file " + file + " (" + e.getMessage()
                    + "); make its directory writable or set vault.key-file to another path");
        }
    }

    private static void create(Path file) throws IOException {
        if (Files.getFileStore(file.toAbsolutePath().getParent()).supportsFileAttributeView("posix")) {
            FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
            Files.createFile(file, ownerOnly);
        } else {
            Files.createFile(file);
        }
    }

    /** A key file others may read is narrowed to its owner (and said so): it should never have been readable. */
    private static void tighten(Path file) throws IOException {
        if (!Files.getFileStore(file).supportsFileAttributeView("posix")) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(permissions)) {
            LOG.warn(
                    "vault: key file {} was {}; narrowed to rw------- (owner only)",
                    file,
                    PosixFilePermissions.toString(permissions));
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }
}
