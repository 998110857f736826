package dev.nexus.host.persona;

/**
 * The {@code personalities} configuration section. Immutable.
 *
 * @param directory the drop-in directory watched for bundles and single card files (default
 *     {@code <data-dir>/personalities}; env {@code NEXUS_PERSONALITIES_DIR}; {@code ./nexus run} points
 *     it at the repository's {@code personalities/})
 * @param pollMillis how often the directory is checked for changes, in milliseconds (default 1000,
 *     at least 100); the same tick refreshes personalities changed by other hosts sharing the database
 */
public record PersonalitiesConfig(String directory, Long pollMillis) {

    /** States the defaults and validates. */
    public PersonalitiesConfig {
        directory = directory == null ? "" : directory.strip();
        pollMillis = pollMillis == null ? 1000L : pollMillis;
        if (pollMillis < 100 || pollMillis > 3_600_000) {
            throw new IllegalArgumentException("poll-millis must be between 100 and 3600000, got " + pollMillis);
        }
    }
}
