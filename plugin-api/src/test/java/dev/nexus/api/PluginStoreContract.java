package dev.nexus.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PluginStore} does, run against the host's database store (H2 and PostgreSQL) and
 * against the test fake ({@code MemoryPluginStore}) so a plugin tested with the fake behaves the same
 * in the host: values round-trip, plugins do not see each other's keys, entries expire by the store's
 * clock, {@code putIfAbsent} has exactly one winner, and the limits are the documented ones.
 *
 * <p>Every fixture is abstract: an implementation cannot pass by leaving one out.
 */
public abstract class PluginStoreContract {

    private PluginStore store;

    /**
     * Returns the store of plugin {@code pluginId}, over the same storage for every call of one test
     * (two ids give two namespaces of one store).
     */
    protected abstract PluginStore store(String pluginId);

    /** Moves the clock the stores of this test expire entries by. */
    protected abstract void advance(Duration amount);

    @BeforeEach
    final void createStore() {
        store = store("contract-plugin");
    }

    @Test
    void put_thenGet_returnsTheValue_andPutAgainReplacesIt() {
        store.put("cursor", "first");
        store.put("cursor", "second ünïcødé ✓");

        assertThat(store.get("cursor")).contains("second ünïcødé ✓");
        assertThat(store.get("absent")).isEmpty();
    }

    @Test
    void twoPlugins_sameKey_doNotSeeEachOther() {
        PluginStore other = store("other-plugin");

        store.put("shared-name", "mine");
        other.put("shared-name", "theirs");
        other.delete("shared-name");

        assertThat(store.get("shared-name")).contains("mine");
        assertThat(other.get("shared-name")).isEmpty();
    }

    @Test
    void anEntryWithATimeToLive_isGoneOnceItHasPassed_andAnEntryWithoutOneStays() {
        store.put("short", "v", Duration.ofSeconds(30));
        store.put("forever", "v");

        advance(Duration.ofSeconds(29));
        assertThat(store.get("short")).contains("v");
        advance(Duration.ofSeconds(2));

        assertThat(store.get("short")).isEmpty();
        assertThat(store.get("forever")).contains("v");
    }

    @Test
    void putIfAbsent_storesOnlyWhenNoLiveValue_andAnExpiredOneCountsAsAbsent() {
        assertThat(store.putIfAbsent("id-1", "first", Duration.ofMinutes(1))).isTrue();
        assertThat(store.putIfAbsent("id-1", "second", Duration.ofMinutes(1))).isFalse();
        assertThat(store.get("id-1")).contains("first");

        advance(Duration.ofMinutes(2));

        assertThat(store.putIfAbsent("id-1", "third", Duration.ofMinutes(1))).isTrue();
        assertThat(store.get("id-1")).contains("third");
    }

    @Test
    void putIfAbsent_fromManyThreadsAtOnce_hasExactlyOneWinner() throws Exception {
        int callers = 8;
        List<Callable<Boolean>> calls = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            String value = "caller-" + i;
            calls.add(() -> store.putIfAbsent("race", value, Duration.ofMinutes(1)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        int winners = 0;
        try {
            for (Future<Boolean> result : pool.invokeAll(calls)) {
                winners += result.get() ? 1 : 0;
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(winners).isEqualTo(1);
        assertThat(store.get("race"))
                .hasValueSatisfying(value -> assertThat(value).startsWith("caller-"));
    }

    @Test
    void delete_saysWhetherALiveEntryWasThere() {
        store.put("gone-soon", "v");

        assertThat(store.delete("gone-soon")).isTrue();
        assertThat(store.delete("gone-soon")).isFalse();
        assertThat(store.get("gone-soon")).isEmpty();
    }

    @Test
    void keysAndValuesBeyondTheLimits_areRefusedNamingTheLimit_andNothingIsStored() {
        String longKey = "k".repeat(PluginStore.MAX_KEY_LENGTH + 1);
        String longValue = "v".repeat(PluginStore.MAX_VALUE_LENGTH + 1);

        assertThatThrownBy(() -> store.put(longKey, "v"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Integer.toString(PluginStore.MAX_KEY_LENGTH));
        assertThatThrownBy(() -> store.put("big", longValue))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Integer.toString(PluginStore.MAX_VALUE_LENGTH));
        assertThatThrownBy(() -> store.put("", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put("ttl", "v", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.get("big")).isEmpty();
        // The largest allowed key and value fit.
        store.put("k".repeat(PluginStore.MAX_KEY_LENGTH), "v".repeat(PluginStore.MAX_VALUE_LENGTH));
        assertThat(store.get("k".repeat(PluginStore.MAX_KEY_LENGTH)))
                .hasValueSatisfying(value -> assertThat(value).hasSize(PluginStore.MAX_VALUE_LENGTH));
    }
}
