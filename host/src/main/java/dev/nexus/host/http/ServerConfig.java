package dev.nexus.host.http;

/**
 * The {@code server} configuration section. Immutable.
 *
 * @param host the address to listen on (default {@code 127.0.0.1}; {@code 0.0.0.0} for all interfaces)
 * @param port the port (default 8080, env {@code NEXUS_PORT}; 0 picks a free port)
 * @param dataDir the data directory for the H2 database, plugins and state (default {@code data},
 *     env {@code NEXUS_DATA_DIR})
 * @param maxBodyBytes the largest request body accepted, in bytes (default 1 MiB; larger bodies get 413)
 * @param shutdownSeconds how long a graceful stop (SIGTERM) waits for turns and streams in flight
 *     (default 20, 0-600; env {@code NEXUS_SERVER_SHUTDOWN_SECONDS})
 */
public record ServerConfig(String host, Integer port, String dataDir, Long maxBodyBytes, Integer shutdownSeconds) {

    /** The section without a shutdown limit of its own (the default applies). */
    public ServerConfig(String host, Integer port, String dataDir, Long maxBodyBytes) {
        this(host, port, dataDir, maxBodyBytes, null);
    }

    /** States the defaults and validates. */
    public ServerConfig {
        host = host == null || host.isBlank() ? "127.0.0.1" : host.strip();
        port = port == null ? 8080 : port;
        dataDir = dataDir == null || dataDir.isBlank() ? "data" : dataDir;
        maxBodyBytes = maxBodyBytes == null ? 1_048_576L : maxBodyBytes;
        shutdownSeconds = shutdownSeconds == null ? 20 : shutdownSeconds;
        if (shutdownSeconds < 0 || shutdownSeconds > 600) {
            throw new IllegalArgumentException("shutdown-seconds must be 0-600, got " + shutdownSeconds);
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
        if (maxBodyBytes < 1024 || maxBodyBytes > 512L * 1024 * 1024) {
            throw new IllegalArgumentException(
                    "max-body-bytes must be between 1024 and 536870912, got " + maxBodyBytes);
        }
    }
}
