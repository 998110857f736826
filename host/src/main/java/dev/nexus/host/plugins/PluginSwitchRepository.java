package dev.nexus.host.plugins;

import dev.nexus.host.db.Database;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The admin's plugin switches (table {@code plugin_switches}, Jdbi): which plugins were disabled
 * through the API, so the choice survives a restart and holds on every host of the database. Without
 * a database (tests of loading alone) the switches live in memory. Thread-safe.
 */
final class PluginSwitchRepository {

    private final @Nullable Jdbi jdbi;
    private final Clock clock;
    private final Set<String> inMemory = ConcurrentHashMap.newKeySet();

    PluginSwitchRepository(@Nullable Database database, Clock clock) {
        this.jdbi = database == null ? null : database.jdbi();
        this.clock = clock;
    }

    /** Switches kept in memory only (a runtime without a database). */
    static PluginSwitchRepository inMemory(Clock clock) {
        return new PluginSwitchRepository(null, clock);
    }

    /** Returns the ids of the plugins an admin disabled. */
    Set<String> disabled() {
        if (jdbi == null) {
            return Set.copyOf(inMemory);
        }
        return new HashSet<>(
                jdbi.withHandle(h -> h.createQuery("SELECT plugin_id FROM plugin_switches WHERE enabled = FALSE")
                        .mapTo(String.class)
                        .list()));
    }

    /** Records that {@code actor} switched {@code pluginId} on or off. */
    void set(String pluginId, boolean enabled, String actor) {
        if (jdbi == null) {
            if (enabled) {
                inMemory.remove(pluginId);
            } else {
                inMemory.add(pluginId);
            }
            return;
        }
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        jdbi.useTransaction(h -> {
            int updated = h.createUpdate(
                            "UPDATE plugin_switches SET enabled = :enabled, changed_at = :at, changed_by = :by"
                                    + " WHERE plugin_id = :id")
                    .bind("id", pluginId)
                    .bind("enabled", enabled)
                    .bind("at", now)
                    .bind("by", actor)
                    .execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO plugin_switches (plugin_id, enabled, changed_at, changed_by)"
                                + " VALUES (:id, :enabled, :at, :by)")
                        .bind("id", pluginId)
                        .bind("enabled", enabled)
                        .bind("at", now)
                        .bind("by", actor)
                        .execute();
            }
        });
    }
}
