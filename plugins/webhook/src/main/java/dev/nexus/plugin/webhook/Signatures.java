package dev.nexus.plugin.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signatures, the same in both directions:
 *
 * <pre>
 * X-Nexus-Timestamp: 1735689600                       (Unix seconds when the request was signed)
 * X-Nexus-Signature: sha256=&lt;64 lower-case hex digits&gt;
 *
 * signature = HMAC-SHA256(key, timestamp + "." + raw body bytes)
 * </pre>
 *
 * <p>The signature header may list several {@code sha256=} values separated by commas (a sender
 * rotating keys); one valid value is enough. Comparison is constant-time. Stateless and thread-safe.
 */
final class Signatures {

    /** The header carrying the signing time in Unix seconds. */
    static final String TIMESTAMP_HEADER = "X-Nexus-Timestamp";
    /** The header carrying the signature. */
    static final String SIGNATURE_HEADER = "X-Nexus-Signature";

    private static final String PREFIX = "sha256=";

    private Signatures() {}

    /** Returns the header value {@code sha256=<hex>} for {@code body} signed at {@code timestamp}. */
    static String sign(byte[] key, long timestamp, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(mac(key, timestamp, body));
    }

    /**
     * Returns true when {@code header} holds a valid signature of {@code body} at {@code timestamp}
     * under any of {@code keys}.
     */
    static boolean verify(List<byte[]> keys, long timestamp, byte[] body, String header) {
        boolean valid = false;
        for (String candidate : header.split(",", 8)) {
            String value = candidate.strip();
            if (!value.startsWith(PREFIX) || value.length() != PREFIX.length() + 64) {
                continue;
            }
            byte[] given;
            try {
                given = HexFormat.of().parseHex(value.substring(PREFIX.length()));
            } catch (IllegalArgumentException notHex) {
                continue;
            }
            for (byte[] key : keys) {
                // Evaluate every pair so timing does not reveal which key or value matched.
                valid |= MessageDigest.isEqual(mac(key, timestamp, body), given);
            }
        }
        return valid;
    }

    private static byte[] mac(byte[] key, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JDK", e);
        }
    }
}
