package dev.nexus.api.testing;

import dev.nexus.api.PluginStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link PluginStore} in memory for plugin tests, with the host's limits and expiry rules (it passes
 * the same {@code PluginStoreContract} as the host's store). Time comes from the given clock, so a
 * test moves expiry with {@link MutableClock#advance}. {@link #down()} makes every call throw
 * {@link PluginStore.Unavailable}, as a database outage does in the host. Thread-safe.
 */
public final class MemoryPluginStore implements PluginStore {

    private final Clock clock;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private volatile boolean down;

    /** Creates an empty store whose expiry follows {@code clock}. */
    public MemoryPluginStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Makes every call throw {@link PluginStore.Unavailable} until {@link #up()}. */
    public void down() {
        down = true;
    }

    /** Ends a {@link #down()} outage; the entries are as they were. */
    public void up() {
        down = false;
    }

    /** Returns how many live entries the store holds. */
    public synchronized int size() {
        Instant now = clock.instant();
        return (int) entries.values().stream().filter(entry -> entry.live(now)).count();
    }

    @Override
    public synchronized Optional<String> get(String key) {
        PluginStore.checkKey(key);
        available();
        Entry entry = entries.get(key);
        return entry != null && entry.live(clock.instant()) ? Optional.of(entry.value) : Optional.empty();
    }

    @Override
    public void put(String key, String value) {
        write(key, value, null, false);
    }

    @Override
    public void put(String key, String value, Duration timeToLive) {
        Objects.requireNonNull(timeToLive, "timeToLive");
        write(key, value, timeToLive, false);
    }

    @Override
    public boolean putIfAbsent(String key, String value, Duration timeToLive) {
        Objects.requireNonNull(timeToLive, "timeToLive");
        return write(key, value, timeToLive, true);
    }

    @Override
    public synchronized boolean delete(String key) {
        PluginStore.checkKey(key);
        available();
        Entry removed = entries.remove(key);
        return removed != null && removed.live(clock.instant());
    }

    private synchronized boolean write(String key, String value, Duration timeToLive, boolean onlyIfAbsent) {
        PluginStore.check(key, value, timeToLive);
        available();
        Instant now = clock.instant();
        Entry existing = entries.get(key);
        boolean live = existing != null && existing.live(now);
        if (live && onlyIfAbsent) {
            return false;
        }
        if (!live) {
            entries.values().removeIf(entry -> !entry.live(now));
            if (entries.size() >= MAX_ENTRIES) {
                throw new PluginStore.Full("this plugin already holds " + MAX_ENTRIES + " entries in its store");
            }
        }
        entries.put(key, new Entry(value, timeToLive == null ? null : now.plus(timeToLive)));
        return true;
    }

    private void available() {
        if (down) {
            throw new PluginStore.Unavailable("the plugin store is unavailable right now (test outage); retry later");
        }
    }

    private record Entry(String value, Instant expiresAt) {
        boolean live(Instant now) {
            return expiresAt == null || expiresAt.isAfter(now);
        }
    }
}
