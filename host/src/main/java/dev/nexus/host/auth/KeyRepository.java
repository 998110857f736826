package dev.nexus.host.auth;

import dev.nexus.host.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/** Stores API keys (hashes only). Thread-safe. */
final class KeyRepository {

    private final Jdbi jdbi;

    KeyRepository(Database database) {
        this.jdbi = database.jdbi();
    }

    void insert(ApiKey key, String secretHash) {
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO api_keys (id, name, secret_hash, prefix, scopes, created_at, created_by, user_id)
                VALUES (:id, :name, :hash, :prefix, :scopes, :createdAt, :createdBy, :user)""")
                .bind("user", key.user().orElse(null))
                .bind("id", key.id())
                .bind("name", key.name())
                .bind("hash", secretHash)
                .bind("prefix", key.prefix())
                .bind("scopes", key.scopes().stream().map(Scope::label).sorted().collect(Collectors.joining(",")))
                .bind("createdAt", time(key.createdAt()))
                .bind("createdBy", key.createdBy().orElse(null))
                .execute());
    }

    Optional<ApiKey> findActiveByHash(String secretHash) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT * FROM api_keys WHERE secret_hash = :hash AND revoked_at IS NULL")
                        .bind("hash", secretHash)
                        .map((rs, ctx) -> read(rs))
                        .findOne());
    }

    List<ApiKey> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_keys ORDER BY created_at, id")
                .map((rs, ctx) -> read(rs))
                .list());
    }

    Optional<ApiKey> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_keys WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> read(rs))
                .findOne());
    }

    boolean revoke(String id, Instant at) {
        return jdbi.withHandle(h -> h.createUpdate(
                                "UPDATE api_keys SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
                        .bind("id", id)
                        .bind("at", time(at))
                        .execute())
                == 1;
    }

    boolean anyActiveAdmin() {
        return jdbi
                .withHandle(h -> h.createQuery("SELECT scopes FROM api_keys WHERE revoked_at IS NULL")
                        .mapTo(String.class)
                        .list())
                .stream()
                .anyMatch(scopes -> Arrays.asList(scopes.split(",")).contains("admin"));
    }

    void touch(String id, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE api_keys SET last_used_at = :at WHERE id = :id")
                .bind("id", id)
                .bind("at", time(at))
                .execute());
    }

    private static ApiKey read(ResultSet rs) throws SQLException {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String label : rs.getString("scopes").split(",")) {
            if (!label.isBlank()) {
                scopes.add(Scope.parse(label));
            }
        }
        return new ApiKey(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("prefix"),
                scopes,
                instant(rs, "created_at").orElseThrow(),
                Optional.ofNullable(rs.getString("created_by")),
                instant(rs, "revoked_at"),
                instant(rs, "last_used_at"),
                Optional.ofNullable(rs.getString("user_id")));
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return Optional.ofNullable(value).map(OffsetDateTime::toInstant);
    }
}
