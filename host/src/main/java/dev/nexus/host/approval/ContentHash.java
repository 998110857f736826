package dev.nexus.host.approval;

import dev.nexus.host.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical form of a proposal's content and its SHA-256. Canonical JSON here means: object
 * keys sorted, no insignificant whitespace, numbers as Jackson writes them, absent values as
 * {@code null}. Stateless.
 */
final class ContentHash {

    private ContentHash() {}

    /** Returns the canonical JSON of the proposal's immutable content. */
    static String canonical(Proposal proposal) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("kind", proposal.kind().label());
        content.put("subject", proposal.subject());
        content.put(
                "baseVersion",
                proposal.baseVersion().isPresent() ? proposal.baseVersion().getAsInt() : null);
        content.put("payload", proposal.payload());
        content.put("proposer", proposal.proposer());
        content.put("createdAt", proposal.createdAt().toString());
        content.put("expiresAt", proposal.expiresAt().toString());
        return Json.write(sorted(content));
    }

    /** Returns the lower-case hex SHA-256 of the canonical content. */
    static String of(Proposal proposal) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical(proposal).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Returns {@code payload} as canonical JSON (sorted keys). */
    static String canonicalPayload(Map<String, Object> payload) {
        return Json.write(sorted(payload));
    }

    private static Object sorted(Object value) {
        if (value instanceof Map<?, ?> map) {
            TreeMap<String, Object> tree = new TreeMap<>();
            map.forEach((key, inner) -> tree.put(String.valueOf(key), sorted(inner)));
            return tree;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(inner -> copy.add(sorted(inner)));
            return copy;
        }
        return value;
    }
}
