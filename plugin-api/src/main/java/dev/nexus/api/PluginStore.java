package dev.nexus.api;

import java.time.Duration;
import java.util.Optional;

/**
 * A small persistent key-value store of one plugin, for state that must outlive a restart and be
 * seen by every host sharing the database: a webhook's replay memory, a cursor into a remote feed,
 * an OAuth refresh token's rotation date. Not a database: values are short texts, entries are few.
 *
 * <p><b>Namespaced.</b> Each plugin sees only its own keys (the host keys every entry by the plugin's
 * id); two plugins may use the same key without meeting. <b>Shared.</b> The store lives in the host's
 * database (H2 or PostgreSQL), so every host on that database sees the same entries, and an entry
 * written by one host is read by the next request on another. <b>Expiring.</b> An entry written with a
 * time to live disappears once it has passed (reads no longer see it; the host deletes it later).
 *
 * <p><b>Limits</b> (the same in the host and in the test fake): a key is 1 to {@value #MAX_KEY_LENGTH}
 * characters, a value at most {@value #MAX_VALUE_LENGTH} characters; a plugin holds at most
 * {@value #MAX_ENTRIES} live entries (a write of a new key beyond that throws {@link Full}; expired
 * entries do not count). Breaking the key or value limit throws {@link IllegalArgumentException} naming it.
 *
 * <p><b>Failures.</b> When the database cannot be reached every method throws {@link Unavailable}:
 * nothing was read or written, and the same call can be tried again later (an HTTP connector answers
 * its platform 503). Implementations are thread-safe; each call is atomic on its own.
 */
public interface PluginStore {

    /** The longest key, in characters. */
    int MAX_KEY_LENGTH = 200;

    /** The longest value, in characters. */
    int MAX_VALUE_LENGTH = 16_384;

    /** How many live entries one plugin may hold. */
    int MAX_ENTRIES = 10_000;

    /**
     * Returns the value stored at {@code key}, or empty when there is none or it has expired.
     *
     * @throws Unavailable when the store cannot be read right now
     */
    Optional<String> get(String key);

    /**
     * Stores {@code value} at {@code key} with no expiry, replacing any value there.
     *
     * @throws Full when {@code key} is new and the plugin already holds {@link #MAX_ENTRIES} live entries
     * @throws Unavailable when the store cannot be written right now
     */
    void put(String key, String value);

    /**
     * Stores {@code value} at {@code key} until {@code timeToLive} has passed (by the host's clock),
     * replacing any value there.
     *
     * @param timeToLive positive
     * @throws Full when {@code key} is new and the plugin already holds {@link #MAX_ENTRIES} live entries
     * @throws Unavailable when the store cannot be written right now
     */
    void put(String key, String value, Duration timeToLive);

    /**
     * Stores {@code value} at {@code key} until {@code timeToLive} has passed, only if no live value is
     * there; atomic across every host sharing the database, so exactly one of several concurrent callers
     * wins.
     *
     * @param timeToLive positive
     * @return true when this call stored the value, false when a live value was already there (unchanged)
     * @throws Full when the plugin already holds {@link #MAX_ENTRIES} live entries
     * @throws Unavailable when the store cannot be written right now
     */
    boolean putIfAbsent(String key, String value, Duration timeToLive);

    /**
     * Deletes the entry at {@code key}.
     *
     * @return true when a live entry was deleted
     * @throws Unavailable when the store cannot be written right now
     */
    boolean delete(String key);

    /** The store cannot be reached right now; nothing was read or written; try the same call again later. */
    final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** Creates the exception with a message fit to log (never a password or a class name). */
        public Unavailable(String message) {
            super(message);
        }
    }

    /** The plugin already holds {@link #MAX_ENTRIES} live entries; delete some or let them expire. */
    final class Full extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** Creates the exception with a message naming the limit. */
        public Full(String message) {
            super(message);
        }
    }

    /**
     * Checks a key, a value and a time to live against the limits above, the way every implementation
     * does; a fake or a wrapper calls it so it refuses exactly what the host refuses.
     *
     * @param timeToLive null for "no expiry"
     * @throws IllegalArgumentException naming the broken limit
     */
    static void check(String key, String value, Duration timeToLive) {
        checkKey(key);
        if (value == null) {
            throw new IllegalArgumentException("plugin store value must not be null; delete the key instead");
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("plugin store value for '" + key + "' is " + value.length()
                    + " characters; the limit is " + MAX_VALUE_LENGTH);
        }
        if (timeToLive != null && (timeToLive.isNegative() || timeToLive.isZero())) {
            throw new IllegalArgumentException("plugin store time to live must be positive, got " + timeToLive);
        }
    }

    /**
     * Checks a key against the limits above.
     *
     * @throws IllegalArgumentException when it is null, empty or longer than {@link #MAX_KEY_LENGTH}
     */
    static void checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("plugin store key must not be empty");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("plugin store key is " + key.length() + " characters; the limit is "
                    + MAX_KEY_LENGTH + " (hash long ids into a shorter key)");
        }
    }
}
