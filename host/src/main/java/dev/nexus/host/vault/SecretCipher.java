package dev.nexus.host.vault;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM under one master key, with the JDK's provider only: every seal draws a fresh 96-bit
 * nonce from {@link SecureRandom}, and the associated data binds a ciphertext to where it is stored.
 * Immutable and thread-safe (a {@link Cipher} is created per call).
 */
final class SecretCipher {

    /** A sealed value: the key it was sealed with (by id), the nonce and the ciphertext with its tag, as base64. */
    record Sealed(String keyId, String nonce, String ciphertext) {}

    /** The value did not open: a wrong key, or a ciphertext or associated data that was changed. */
    static final class WrongKey extends Exception {
        private static final long serialVersionUID = 1L;

        WrongKey(String message) {
            super(message);
        }
    }

    static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final SecretKeySpec key;
    private final String keyId;
    private final SecureRandom random;

    SecretCipher(byte[] keyBytes, SecureRandom random) {
        if (keyBytes.length != KEY_BYTES) {
            throw new IllegalArgumentException("a vault master key is " + KEY_BYTES + " bytes, got " + keyBytes.length);
        }
        this.key = new SecretKeySpec(keyBytes.clone(), "AES");
        this.keyId = keyId(keyBytes);
        this.random = random;
    }

    /** Returns the id of this cipher's key: a hash of the key, safe to store and show. */
    String keyId() {
        return keyId;
    }

    Sealed seal(byte[] plain, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            return new Sealed(
                    keyId,
                    Base64.getEncoder().encodeToString(nonce),
                    Base64.getEncoder().encodeToString(sealed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM provides " + TRANSFORMATION, e);
        }
    }

    byte[] open(Sealed sealed, String context) throws WrongKey {
        byte[] nonce;
        byte[] bytes;
        try {
            nonce = Base64.getDecoder().decode(sealed.nonce());
            bytes = Base64.getDecoder().decode(sealed.ciphertext());
        } catch (IllegalArgumentException e) {
            throw new WrongKey("the stored value is not base64; it was changed outside Nexus");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(bytes);
        } catch (AEADBadTagException e) {
            throw new WrongKey("the value does not open with master key " + keyId
                    + " (a different key, or a value changed or moved outside Nexus)");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new WrongKey("the stored value is malformed; it was changed outside Nexus");
        }
    }

    /** Returns a new random key. */
    static byte[] newKey(SecureRandom random) {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        return key;
    }

    static String keyId(byte[] keyBytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("nexus-vault-key-id/1:".getBytes(StandardCharsets.US_ASCII));
            byte[] hash = digest.digest(keyBytes);
            String id = HexFormat.of().formatHex(Arrays.copyOf(hash, 8));
            Arrays.fill(hash, (byte) 0);
            return id;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
