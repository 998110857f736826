package dev.nexus.api.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.api.PluginStore;
import dev.nexus.api.PluginStoreContract;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fake store passes the contract the host's store passes, and fails the way the host's does. */
class MemoryPluginStoreTest extends PluginStoreContract {

    private final MutableClock clock = new MutableClock(FakePluginContext.DEFAULT_START);
    private final Map<String, MemoryPluginStore> stores = new HashMap<>();

    @Override
    protected PluginStore store(String pluginId) {
        return stores.computeIfAbsent(pluginId, id -> new MemoryPluginStore(clock));
    }

    @Override
    protected void advance(Duration amount) {
        clock.advance(amount);
    }

    @Test
    void full_aNewKeyBeyondTheEntryLimitIsRefused_butReplacingAndExpiredRoomAreFine() {
        MemoryPluginStore store = new MemoryPluginStore(clock);
        for (int i = 0; i < PluginStore.MAX_ENTRIES; i++) {
            store.put("k" + i, "v", i == 0 ? Duration.ofSeconds(1) : Duration.ofHours(1));
        }

        assertThatThrownBy(() -> store.put("one-more", "v"))
                .isInstanceOf(PluginStore.Full.class)
                .hasMessageContaining(Integer.toString(PluginStore.MAX_ENTRIES));
        store.put("k5", "replaced");
        clock.advance(Duration.ofSeconds(2));
        store.put("one-more", "v");

        assertThat(store.get("k5")).contains("replaced");
        assertThat(store.size()).isEqualTo(PluginStore.MAX_ENTRIES);
    }

    @Test
    void down_everyCallThrowsUnavailable_andUpRestoresTheEntries() {
        MemoryPluginStore store = new MemoryPluginStore(clock);
        store.put("kept", "v");

        store.down();

        assertThatThrownBy(() -> store.get("kept")).isInstanceOf(PluginStore.Unavailable.class);
        assertThatThrownBy(() -> store.put("new", "v")).isInstanceOf(PluginStore.Unavailable.class);
        store.up();
        assertThat(store.get("kept")).contains("v");
        assertThat(store.get("new")).isEmpty();
    }
}
