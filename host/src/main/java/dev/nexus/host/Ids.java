package dev.nexus.host;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;

/**
 * Makes unique, time-ordered ids in the spirit of UUIDv7: 12 hex digits of milliseconds since the
 * epoch, a dash, a 4-hex-digit sequence number and 12 random hex digits (e.g.
 * {@code 019ab3c4d5e6-3f1e2d3c4b5a6978}). Sorting ids as text sorts them by creation, and ids made in
 * the same millisecond never tie: the sequence (started at a random value below {@code 0x8000} each
 * millisecond) counts up, and when it runs out the id borrows the next millisecond. A clock that steps
 * back by less than a second keeps counting from the last id; a bigger jump (a test clock, a reset)
 * starts over at its own time. Thread-safe.
 */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    private static final long MAX_STEP_BACK_MILLIS = 1_000;
    private static final int MAX_SEQUENCE = 0xFFFF;

    private static long lastMillis = -1;
    private static int sequence;

    private Ids() {}

    /** Returns a new id using the system clock. */
    public static String newId() {
        return newId(Clock.systemUTC());
    }

    /** Returns a new id whose time part comes from {@code clock}. */
    public static String newId(Clock clock) {
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        long millis;
        int seq;
        synchronized (Ids.class) {
            millis = clock.millis() & 0xFFFF_FFFF_FFFFL;
            if (millis > lastMillis || lastMillis - millis > MAX_STEP_BACK_MILLIS) {
                lastMillis = millis;
                sequence = RANDOM.nextInt(0x8000);
            } else if (sequence < MAX_SEQUENCE) {
                millis = lastMillis;
                sequence++;
            } else {
                millis = ++lastMillis;
                sequence = RANDOM.nextInt(0x8000);
            }
            seq = sequence;
        }
        return String.format("%012x-%04x", millis, seq) + HEX.formatHex(random);
    }
}
