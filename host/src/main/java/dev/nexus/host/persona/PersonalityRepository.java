package dev.nexus.host.persona;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * SQL for the personality tables. Every method takes the caller's {@link Handle}, so several calls
 * share one transaction. Stateless and thread-safe.
 */
final class PersonalityRepository {

    /** A row of {@code personalities}. */
    record Pointer(
            String id,
            Owner owner,
            int currentVersion,
            String originHash,
            Instant updatedAt,
            Optional<Instant> deletedAt) {

        boolean live() {
            return deletedAt.isEmpty();
        }
    }

    /** A row of {@code personality_versions}. */
    record StoredVersion(
            String id, int version, String source, String contentHash, String document, Instant createdAt) {}

    /** Returns the pointer for {@code id}, locking the row for the rest of the transaction. */
    Optional<Pointer> lock(Handle h, String id) {
        return h.createQuery("SELECT * FROM personalities WHERE id = :id FOR UPDATE")
                .bind("id", id)
                .map((rs, ctx) -> pointer(rs))
                .findOne();
    }

    Optional<Pointer> pointer(Handle h, String id) {
        return h.createQuery("SELECT * FROM personalities WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> pointer(rs))
                .findOne();
    }

    /** Returns every pointer, deleted ones included, by id. */
    List<Pointer> pointers(Handle h) {
        return h.createQuery("SELECT * FROM personalities ORDER BY id")
                .map((rs, ctx) -> pointer(rs))
                .list();
    }

    void insertPointer(Handle h, String id, Owner owner, int version, String originHash, Instant at) {
        h.createUpdate("""
                INSERT INTO personalities (id, owner, owner_detail, current_version, origin_hash, updated_at)
                VALUES (:id, :owner, :detail, :version, :hash, :at)""")
                .bind("id", id)
                .bind("owner", owner.kind().label())
                .bind("detail", owner.detail())
                .bind("version", version)
                .bind("hash", originHash)
                .bind("at", time(at))
                .execute();
    }

    /**
     * Moves the pointer from {@code expectedVersion} to {@code version} (and revives a deleted id);
     * returns false when another writer moved it first.
     */
    boolean movePointer(
            Handle h, String id, int expectedVersion, int version, Owner owner, String originHash, Instant at) {
        return h.createUpdate("""
                UPDATE personalities
                   SET current_version = :version, owner = :owner, owner_detail = :detail, origin_hash = :hash,
                       updated_at = :at, deleted_at = NULL
                 WHERE id = :id AND current_version = :expected""")
                        .bind("id", id)
                        .bind("expected", expectedVersion)
                        .bind("version", version)
                        .bind("owner", owner.kind().label())
                        .bind("detail", owner.detail())
                        .bind("hash", originHash)
                        .bind("at", time(at))
                        .execute()
                == 1;
    }

    /** Revives a deleted id without a new version (its source came back unchanged). */
    void revive(Handle h, String id, Owner owner, Instant at) {
        h.createUpdate("""
                UPDATE personalities SET deleted_at = NULL, owner = :owner, owner_detail = :detail, updated_at = :at
                 WHERE id = :id""")
                .bind("id", id)
                .bind("owner", owner.kind().label())
                .bind("detail", owner.detail())
                .bind("at", time(at))
                .execute();
    }

    void markDeleted(Handle h, String id, Instant at) {
        h.createUpdate(
                        "UPDATE personalities SET deleted_at = :at, updated_at = :at WHERE id = :id AND deleted_at IS NULL")
                .bind("id", id)
                .bind("at", time(at))
                .execute();
    }

    void insertVersion(Handle h, StoredVersion version) {
        h.createUpdate("""
                INSERT INTO personality_versions (personality_id, version, source, content_hash, document, created_at)
                VALUES (:id, :version, :source, :hash, :document, :at)""")
                .bind("id", version.id())
                .bind("version", version.version())
                .bind("source", version.source())
                .bind("hash", version.contentHash())
                .bind("document", version.document())
                .bind("at", time(version.createdAt()))
                .execute();
    }

    Optional<StoredVersion> version(Handle h, String id, int version) {
        return h.createQuery("SELECT * FROM personality_versions WHERE personality_id = :id AND version = :version")
                .bind("id", id)
                .bind("version", version)
                .map((rs, ctx) -> stored(rs))
                .findOne();
    }

    /** A live personality's pointer with the version it points at. */
    record Live(Pointer pointer, StoredVersion current) {}

    /** Returns every live personality with its current version, by id, in one query. */
    List<Live> live(Handle h) {
        return h.createQuery("""
                        SELECT p.*, v.personality_id, v.version, v.source, v.content_hash, v.document,
                               v.created_at
                        FROM personalities p
                        JOIN personality_versions v ON v.personality_id = p.id AND v.version = p.current_version
                        WHERE p.deleted_at IS NULL
                        ORDER BY p.id""")
                .map((rs, ctx) -> new Live(pointer(rs), stored(rs)))
                .list();
    }

    /** Returns every version of {@code id}, newest first. */
    List<StoredVersion> versions(Handle h, String id) {
        return h.createQuery("SELECT * FROM personality_versions WHERE personality_id = :id ORDER BY version DESC")
                .bind("id", id)
                .map((rs, ctx) -> stored(rs))
                .list();
    }

    /** Returns the highest version number of {@code id}, 0 when it has none. */
    int latestVersion(Handle h, String id) {
        return h.createQuery("SELECT COALESCE(MAX(version), 0) FROM personality_versions WHERE personality_id = :id")
                .bind("id", id)
                .mapTo(Integer.class)
                .one();
    }

    private static Pointer pointer(ResultSet rs) throws SQLException {
        return new Pointer(
                rs.getString("id"),
                new Owner(Owner.Kind.parse(rs.getString("owner")), rs.getString("owner_detail")),
                rs.getInt("current_version"),
                rs.getString("origin_hash"),
                instant(rs, "updated_at").orElseThrow(),
                instant(rs, "deleted_at"));
    }

    private static StoredVersion stored(ResultSet rs) throws SQLException {
        return new StoredVersion(
                rs.getString("personality_id"),
                rs.getInt("version"),
                rs.getString("source"),
                rs.getString("content_hash"),
                rs.getString("document"),
                instant(rs, "created_at").orElseThrow());
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return Optional.ofNullable(value).map(OffsetDateTime::toInstant);
    }
}
