package dev.nexus.host.openai;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The SHA-256 of a history as an OpenAI client sends it: personality, user, then every user and
 * assistant message's role and text (whitespace at the ends ignored, since clients trim). Stateless.
 */
final class Fingerprint {

    private Fingerprint() {}

    static String of(String personality, String user, List<CompletionRequest.Turn> turns) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        update(digest, personality);
        update(digest, user);
        for (CompletionRequest.Turn turn : turns) {
            update(digest, turn.role());
            update(digest, turn.content().strip());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Length-prefixed, so no two different histories feed the digest the same bytes. */
    private static void update(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        digest.update(bytes);
    }
}
