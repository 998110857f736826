package dev.nexus.host.vault;

import dev.nexus.host.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Jdbi;

/** Stores sealed secrets in {@code vault_secrets} and the key check in {@code vault_key}. Thread-safe. */
final class VaultRepository {

    /** A stored row: what is shown, and the sealed value. */
    record Row(SecretInfo info, SecretCipher.Sealed sealed) {}

    /** The key check row. */
    record KeyCheck(SecretCipher.Sealed sealed, Instant createdAt, Optional<Instant> rotatedAt) {}

    private final Jdbi jdbi;

    VaultRepository(Database database) {
        this.jdbi = database.jdbi();
    }

    Optional<KeyCheck> keyCheck() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM vault_key WHERE id = 1")
                .map((rs, ctx) -> new KeyCheck(
                        new SecretCipher.Sealed(
                                rs.getString("key_id"), rs.getString("nonce"), rs.getString("check_value")),
                        instant(rs, "created_at"),
                        Optional.ofNullable(rs.getObject("rotated_at", OffsetDateTime.class))
                                .map(OffsetDateTime::toInstant)))
                .findOne());
    }

    /** Inserts the key check unless one exists (two hosts starting together: the first wins); returns the one stored. */
    KeyCheck insertKeyCheck(SecretCipher.Sealed check, Instant at) {
        try {
            jdbi.useTransaction(h -> {
                boolean exists = h.createQuery("SELECT COUNT(*) FROM vault_key WHERE id = 1")
                                .mapTo(Integer.class)
                                .one()
                        > 0;
                if (!exists) {
                    h.createUpdate(
                                    "INSERT INTO vault_key (id, key_id, nonce, check_value, created_at) VALUES (1, :key, :nonce, :check, :at)")
                            .bind("key", check.keyId())
                            .bind("nonce", check.nonce())
                            .bind("check", check.ciphertext())
                            .bind("at", at.atOffset(ZoneOffset.UTC))
                            .execute();
                }
            });
        } catch (RuntimeException e) {
            // Both saw no row and the other host inserted first: its row is the one stored.
            if (!Database.isUniqueViolation(e)) {
                throw e;
            }
        }
        return keyCheck().orElseThrow();
    }

    int count() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM vault_secrets")
                .mapTo(Integer.class)
                .one());
    }

    /** Inserts or replaces a secret; returns the stored row. */
    SecretInfo put(String plugin, String name, SecretCipher.Sealed sealed, Instant at, String by) {
        return jdbi.inTransaction(h -> {
            Optional<Instant> created = h.createQuery(
                            "SELECT created_at FROM vault_secrets WHERE plugin_id = :plugin AND name = :name")
                    .bind("plugin", plugin)
                    .bind("name", name)
                    .map((rs, ctx) -> instant(rs, "created_at"))
                    .findOne();
            if (created.isPresent()) {
                h.createUpdate("""
                        UPDATE vault_secrets SET key_id = :key, nonce = :nonce, ciphertext = :value, updated_at = :at, updated_by = :by
                        WHERE plugin_id = :plugin AND name = :name""")
                        .bindMap(Map.of(
                                "plugin",
                                plugin,
                                "name",
                                name,
                                "key",
                                sealed.keyId(),
                                "nonce",
                                sealed.nonce(),
                                "value",
                                sealed.ciphertext(),
                                "by",
                                by))
                        .bind("at", at.atOffset(ZoneOffset.UTC))
                        .execute();
            } else {
                h.createUpdate("""
                        INSERT INTO vault_secrets (plugin_id, name, key_id, nonce, ciphertext, created_at, updated_at, updated_by)
                        VALUES (:plugin, :name, :key, :nonce, :value, :at, :at, :by)""")
                        .bindMap(Map.of(
                                "plugin",
                                plugin,
                                "name",
                                name,
                                "key",
                                sealed.keyId(),
                                "nonce",
                                sealed.nonce(),
                                "value",
                                sealed.ciphertext(),
                                "by",
                                by))
                        .bind("at", at.atOffset(ZoneOffset.UTC))
                        .execute();
            }
            return new SecretInfo(plugin, name, sealed.keyId(), created.orElse(at), at, by);
        });
    }

    Optional<Row> find(String plugin, String name) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT * FROM vault_secrets WHERE plugin_id = :plugin AND name = :name")
                        .bind("plugin", plugin)
                        .bind("name", name)
                        .map((rs, ctx) -> row(rs))
                        .findOne());
    }

    List<SecretInfo> list(Optional<String> plugin) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM vault_secrets"
                        + (plugin.isPresent() ? " WHERE plugin_id = :plugin" : "") + " ORDER BY plugin_id, name")
                .bindMap(plugin.isPresent() ? Map.of("plugin", plugin.get()) : Map.of())
                .map((rs, ctx) -> row(rs).info())
                .list());
    }

    boolean delete(String plugin, String name) {
        return jdbi.withHandle(
                        h -> h.createUpdate("DELETE FROM vault_secrets WHERE plugin_id = :plugin AND name = :name")
                                .bind("plugin", plugin)
                                .bind("name", name)
                                .execute())
                == 1;
    }

    /**
     * Re-seals every secret and the key check in one transaction: {@code reseal} turns a row's sealed
     * value into the new one (it throws to roll everything back).
     *
     * @return the number of secrets re-sealed, or -1 when the stored key check is no longer sealed with
     *     {@code fromKeyId} (another host rotated first; nothing changed)
     */
    int rotate(String fromKeyId, SecretCipher.Sealed newCheck, Instant at, UnaryOperator<Row> reseal) {
        return jdbi.inTransaction(h -> {
            int claimed = h.createUpdate("""
                    UPDATE vault_key SET key_id = :key, nonce = :nonce, check_value = :check, rotated_at = :at
                    WHERE id = 1 AND key_id = :from""")
                    .bind("key", newCheck.keyId())
                    .bind("nonce", newCheck.nonce())
                    .bind("check", newCheck.ciphertext())
                    .bind("at", at.atOffset(ZoneOffset.UTC))
                    .bind("from", fromKeyId)
                    .execute();
            if (claimed != 1) {
                return -1;
            }
            List<Row> rows = h.createQuery("SELECT * FROM vault_secrets ORDER BY plugin_id, name FOR UPDATE")
                    .map((rs, ctx) -> row(rs))
                    .list();
            for (Row row : rows) {
                SecretCipher.Sealed sealed = reseal.apply(row).sealed();
                h.createUpdate("UPDATE vault_secrets SET key_id = :key, nonce = :nonce, ciphertext = :value "
                                + "WHERE plugin_id = :plugin AND name = :name")
                        .bind("key", sealed.keyId())
                        .bind("nonce", sealed.nonce())
                        .bind("value", sealed.ciphertext())
                        .bind("plugin", row.info().plugin())
                        .bind("name", row.info().name())
                        .execute();
            }
            return rows.size();
        });
    }

    private static Row row(ResultSet rs) throws SQLException {
        SecretInfo info = new SecretInfo(
                rs.getString("plugin_id"),
                rs.getString("name"),
                rs.getString("key_id"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                rs.getString("updated_by"));
        return new Row(
                info,
                new SecretCipher.Sealed(rs.getString("key_id"), rs.getString("nonce"), rs.getString("ciphertext")));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }
}
