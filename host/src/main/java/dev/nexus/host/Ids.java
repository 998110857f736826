package dev.nexus.host;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;

/**
 * Makes unique, time-ordered ids: 12 hex digits of milliseconds since the epoch, then 16 random hex
 * digits (e.g. {@code 019ab3c4d5e6-8f1e2d3c4b5a6978}). Sorting ids as text sorts them by creation
 * time to the millisecond. Thread-safe.
 */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private Ids() {}

    /** Returns a new id using the system clock. */
    public static String newId() {
        return newId(Clock.systemUTC());
    }

    /** Returns a new id whose time part comes from {@code clock}. */
    public static String newId(Clock clock) {
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        return String.format("%012x", clock.millis() & 0xFFFF_FFFF_FFFFL) + "-" + HEX.formatHex(random);
    }
}
