package dev.nexus.host.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the audit log: who did what to which target, when, and the fingerprints of the target
 * before and after. Immutable.
 *
 * @param seq the position in the log (later entries have larger numbers); 0 before it is stored
 * @param id the entry's id
 * @param at when the action completed
 * @param actorKeyId the id of the API key that acted
 * @param actorName that key's name
 * @param action the route that acted, as {@code METHOD /path/{param}}, e.g. {@code PUT /v1/personalities/{id}}
 * @param target the resource acted on, as its path, e.g. {@code /v1/personalities/nova}
 * @param status the HTTP status the action answered
 * @param beforeSha256 SHA-256 (hex) of the target's stored representation before, or empty (none, or not fingerprinted)
 * @param afterSha256 SHA-256 (hex) of the target's stored representation after, or empty (gone, or not fingerprinted)
 */
public record AuditEntry(
        long seq,
        String id,
        Instant at,
        String actorKeyId,
        String actorName,
        String action,
        String target,
        int status,
        Optional<String> beforeSha256,
        Optional<String> afterSha256) {

    /** Validates the entry. */
    public AuditEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actorKeyId, "actorKeyId");
        Objects.requireNonNull(actorName, "actorName");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(beforeSha256, "beforeSha256");
        Objects.requireNonNull(afterSha256, "afterSha256");
    }
}
