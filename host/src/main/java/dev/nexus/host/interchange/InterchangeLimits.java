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
        Integer maxInputBytes,
        Integer maxCardBytes,
        Integer maxJsonDepth,
        Integer maxPngChunkBytes,
        Integer maxPngChunks,
        Integer maxZipEntries,
        Long maxZipInflatedBytes,
        Integer maxLoreEntries) {

    /** Replaces unset (absent, zero or negative) limits with the defaults. */
    public InterchangeLimits {
        maxInputBytes = orDefault(maxInputBytes, 32 << 20);
        maxCardBytes = orDefault(maxCardBytes, 8 << 20);
        maxJsonDepth = orDefault(maxJsonDepth, 64);
        maxPngChunkBytes = orDefault(maxPngChunkBytes, 16 << 20);
        maxPngChunks = orDefault(maxPngChunks, 4096);
        maxZipEntries = orDefault(maxZipEntries, 512);
        maxZipInflatedBytes = maxZipInflatedBytes != null && maxZipInflatedBytes > 0 ? maxZipInflatedBytes : 64L << 20;
        maxLoreEntries = orDefault(maxLoreEntries, 10_000);
    }

    private static Integer orDefault(Integer value, int fallback) {
        return value != null && value > 0 ? value : fallback;
    }

    /** Returns the default limits. */
    public static InterchangeLimits defaults() {
        return new InterchangeLimits(null, null, null, null, null, null, null, null);
    }
}
