package dev.nexus.host.interchange;

/**
 * Size limits for untrusted interchange files (the {@code interchange} configuration section).
 * Every parser stops at these limits with an {@link dev.nexus.host.InvalidInputException} naming the
 * limit, before allocating for what lies beyond it. Zero or negative values mean "use the default".
 * Immutable.
 *
 * @param maxInputBytes the largest file accepted at all (PNG, CHARX or JSON); default 32 MiB
 * @param maxCardBytes the largest card or lorebook JSON, after base64 decoding or inflating; default 8 MiB
 * @param maxJsonDepth the deepest JSON nesting accepted; default 64
 * @param maxPngChunkBytes the largest single PNG chunk (image data included); default 16 MiB
 * @param maxPngChunks the most chunks one PNG may have; default 4096
 * @param maxZipEntries the most entries one CHARX may have; default 512
 * @param maxZipInflatedBytes the most bytes all CHARX entries may inflate to together; default 64 MiB
 * @param maxLoreEntries the most lorebook entries one card or book may have; default 10000
 */
public record InterchangeLimits(
        int maxInputBytes,
        int maxCardBytes,
        int maxJsonDepth,
        int maxPngChunkBytes,
        int maxPngChunks,
        int maxZipEntries,
        long maxZipInflatedBytes,
        int maxLoreEntries) {

    /** Replaces unset (zero or negative) limits with the defaults. */
    public InterchangeLimits {
        maxInputBytes = maxInputBytes > 0 ? maxInputBytes : 32 << 20;
        maxCardBytes = maxCardBytes > 0 ? maxCardBytes : 8 << 20;
        maxJsonDepth = maxJsonDepth > 0 ? maxJsonDepth : 64;
        maxPngChunkBytes = maxPngChunkBytes > 0 ? maxPngChunkBytes : 16 << 20;
        maxPngChunks = maxPngChunks > 0 ? maxPngChunks : 4096;
        maxZipEntries = maxZipEntries > 0 ? maxZipEntries : 512;
        maxZipInflatedBytes = maxZipInflatedBytes > 0 ? maxZipInflatedBytes : 64L << 20;
        maxLoreEntries = maxLoreEntries > 0 ? maxLoreEntries : 10_000;
    }

    /** Returns the default limits. */
    public static InterchangeLimits defaults() {
        return new InterchangeLimits(0, 0, 0, 0, 0, 0, 0, 0);
    }
}
