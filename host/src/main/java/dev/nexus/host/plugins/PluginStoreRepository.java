package dev.nexus.host.plugins;

import dev.nexus.api.PluginStore;
import dev.nexus.host.db.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugins' key-value stores in the database (table {@code plugin_store}, Jdbi): one namespace per
 * plugin id, shared by every host on the database. Every statement runs on its own; atomicity of
 * {@code putIfAbsent} comes from the primary key (plugin, key), so concurrent callers on any number of
 * hosts have exactly one winner. A database that cannot be reached surfaces as
 * {@link PluginStore.Unavailable}. The entry limit is checked before a new key is written and may be
 * passed by a few entries when hosts write new keys at the same moment. Thread-safe.
 */
final class PluginStoreRepository {

    private static final Logger LOG = LoggerFactory.getLogger(PluginStoreRepository.class);
    /** SQLSTATE of a unique-constraint violation, on H2 and PostgreSQL alike. */
    private static final int WRITE_ATTEMPTS = 3;

    private final Jdbi jdbi;
    private final Clock clock;
    private final int maxEntries;

    /**
     * Creates the repository.
     *
     * @param maxEntries live entries one plugin may hold; {@link PluginStore#MAX_ENTRIES} except in tests
     */
    PluginStoreRepository(Database database, Clock clock, int maxEntries) {
        this.jdbi = database.jdbi();
        this.clock = clock;
        this.maxEntries = maxEntries;
    }

    /** Returns the store of {@code pluginId}. */
    PluginStore forPlugin(String pluginId) {
        return new Namespace(Objects.requireNonNull(pluginId, "pluginId"));
    }

    private final class Namespace implements PluginStore {
        private final String pluginId;

        Namespace(String pluginId) {
            this.pluginId = pluginId;
        }

        @Override
        public Optional<String> get(String key) {
            PluginStore.checkKey(key);
            return guarded(() -> jdbi.withHandle(h -> h.createQuery("""
                    SELECT store_value FROM plugin_store
                    WHERE plugin_id = :plugin AND store_key = :key AND (expires_at IS NULL OR expires_at > :now)""")
                    .bind("plugin", pluginId)
                    .bind("key", key)
                    .bind("now", time(clock.instant()))
                    .mapTo(String.class)
                    .findOne()));
        }

        @Override
        public void put(String key, String value) {
            PluginStore.check(key, value, null);
            write(key, value, null);
        }

        @Override
        public void put(String key, String value, Duration timeToLive) {
            Objects.requireNonNull(timeToLive, "timeToLive");
            PluginStore.check(key, value, timeToLive);
            write(key, value, timeToLive);
        }

        @Override
        public boolean putIfAbsent(String key, String value, Duration timeToLive) {
            Objects.requireNonNull(timeToLive, "timeToLive");
            PluginStore.check(key, value, timeToLive);
            return guarded(() -> {
                Instant now = clock.instant();
                makeRoom(now);
                return insert(key, value, now.plus(timeToLive), now);
            });
        }

        @Override
        public boolean delete(String key) {
            PluginStore.checkKey(key);
            return guarded(() -> jdbi.withHandle(h -> h.createUpdate("""
                    DELETE FROM plugin_store
                    WHERE plugin_id = :plugin AND store_key = :key AND (expires_at IS NULL OR expires_at > :now)""")
                            .bind("plugin", pluginId)
                            .bind("key", key)
                            .bind("now", time(clock.instant()))
                            .execute())
                    > 0);
        }

        /** Replaces a live value in place; otherwise makes room and inserts, retrying a lost insert race. */
        private void write(String key, String value, @Nullable Duration timeToLive) {
            guarded(() -> {
                for (int attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
                    Instant now = clock.instant();
                    Instant expires = timeToLive == null ? null : now.plus(timeToLive);
                    int replaced = jdbi.withHandle(h -> h.createUpdate("""
                            UPDATE plugin_store SET store_value = :value, expires_at = :expires, updated_at = :now
                            WHERE plugin_id = :plugin AND store_key = :key AND (expires_at IS NULL OR expires_at > :now)""")
                            .bind("plugin", pluginId)
                            .bind("key", key)
                            .bind("value", value)
                            .bindByType("expires", expires == null ? null : time(expires), OffsetDateTime.class)
                            .bind("now", time(now))
                            .execute());
                    if (replaced > 0) {
                        return null;
                    }
                    makeRoom(now);
                    if (insert(key, value, expires, now)) {
                        return null;
                    }
                }
                throw new PluginStore.Unavailable("the plugin store could not write '" + key + "' after "
                        + WRITE_ATTEMPTS + " attempts (other writers kept racing); retry later");
            });
        }

        /** Deletes this plugin's expired entries, then refuses a new key when the live ones are at the limit. */
        private void makeRoom(Instant now) {
            jdbi.useHandle(
                    h -> h.createUpdate("DELETE FROM plugin_store WHERE plugin_id = :plugin AND expires_at <= :now")
                            .bind("plugin", pluginId)
                            .bind("now", time(now))
                            .execute());
            long live =
                    jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM plugin_store WHERE plugin_id = :plugin")
                            .bind("plugin", pluginId)
                            .mapTo(Long.class)
                            .one());
            if (live >= maxEntries) {
                throw new PluginStore.Full(
                        "plugin '" + pluginId + "' already holds " + live + " entries in its store; the limit is "
                                + maxEntries + ": delete entries or give them a time to live");
            }
        }

        /** Inserts a new row; false when the key is taken (a live entry, or an expired one another writer just renewed). */
        private boolean insert(String key, String value, @Nullable Instant expires, Instant now) {
            try {
                jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO plugin_store (plugin_id, store_key, store_value, expires_at, updated_at)
                        VALUES (:plugin, :key, :value, :expires, :now)""")
                        .bind("plugin", pluginId)
                        .bind("key", key)
                        .bind("value", value)
                        .bindByType("expires", expires == null ? null : time(expires), OffsetDateTime.class)
                        .bind("now", time(now))
                        .execute());
                return true;
            } catch (JdbiException e) {
                if (Database.isUniqueViolation(e)) {
                    return false;
                }
                throw e;
            }
        }

        private <T> T guarded(Supplier<T> work) {
            try {
                return work.get();
            } catch (JdbiException e) {
                LOG.warn("plugin {}: store unavailable: {}", PluginText.quote(pluginId), e.getMessage());
                throw new PluginStore.Unavailable(
                        "the plugin store is unavailable right now (the database cannot be reached);" + " retry later");
            }
        }
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
