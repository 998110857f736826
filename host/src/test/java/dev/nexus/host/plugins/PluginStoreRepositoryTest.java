package dev.nexus.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.api.PluginStore;
import dev.nexus.api.PluginStoreContract;
import dev.nexus.api.testing.MutableClock;
import dev.nexus.host.db.Database;
import dev.nexus.host.testing.TestDatabase;
import dev.nexus.host.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The database store passes the plugin-store contract on H2 and on PostgreSQL, keeps entries across
 * repository instances (what a restart or a second host sees), enforces the entry limit, and turns a
 * database outage into {@link PluginStore.Unavailable}.
 */
@ParameterizedClass
@MethodSource(TestDatabases.KINDS)
class PluginStoreRepositoryTest extends PluginStoreContract {

    @Parameter
    Database.Kind kind;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private TestDatabase db;

    private TestDatabase db() {
        if (db == null) {
            db = kind == Database.Kind.POSTGRESQL ? TestDatabases.postgres(1000) : TestDatabases.h2();
        }
        return db;
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    @Override
    protected PluginStore store(String pluginId) {
        return new PluginStoreRepository(db().database(), clock, PluginStore.MAX_ENTRIES).forPlugin(pluginId);
    }

    @Override
    protected void advance(Duration amount) {
        clock.advance(amount);
    }

    @Test
    void anEntryWrittenThroughOneRepository_isReadThroughAnother_asOnASecondHost() {
        PluginStore first = new PluginStoreRepository(db().database(), clock, 10).forPlugin("webhook");
        PluginStore second = new PluginStoreRepository(db().database(), clock, 10).forPlugin("webhook");

        first.put("message:evt-1", "msg-1", Duration.ofMinutes(5));

        assertThat(second.get("message:evt-1")).contains("msg-1");
        assertThat(second.putIfAbsent("message:evt-1", "msg-2", Duration.ofMinutes(5)))
                .isFalse();
    }

    @Test
    void full_aNewKeyBeyondTheLimitIsRefused_whileReplacingAndExpiredRoomStillWork() {
        PluginStore store = new PluginStoreRepository(db().database(), clock, 3).forPlugin("small");
        store.put("a", "1", Duration.ofSeconds(10));
        store.put("b", "2");
        store.put("c", "3");

        assertThatThrownBy(() -> store.put("d", "4"))
                .isInstanceOf(PluginStore.Full.class)
                .hasMessageContaining("limit is 3");
        assertThatThrownBy(() -> store.putIfAbsent("d", "4", Duration.ofSeconds(5)))
                .isInstanceOf(PluginStore.Full.class);
        store.put("b", "replaced");
        clock.advance(Duration.ofSeconds(11));
        store.put("d", "4");

        assertThat(store.get("b")).contains("replaced");
        assertThat(store.get("d")).contains("4");
        assertThat(store.get("a")).isEmpty();
    }

    @Test
    void databaseDown_everyCallThrowsUnavailable_andTheEntriesAreThereAfterwards() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                kind == Database.Kind.POSTGRESQL, "an embedded H2 cannot be taken away");
        PluginStore store = new PluginStoreRepository(db().database(), clock, 10).forPlugin("webhook");
        store.put("kept", "v");

        db().down();
        try {
            assertThatThrownBy(() -> store.get("kept"))
                    .isInstanceOf(PluginStore.Unavailable.class)
                    .hasMessageContaining("retry later")
                    .hasMessageNotContaining("Exception");
            assertThatThrownBy(() -> store.putIfAbsent("new", "v", Duration.ofMinutes(1)))
                    .isInstanceOf(PluginStore.Unavailable.class);
        } finally {
            db().up();
        }
    }
}
