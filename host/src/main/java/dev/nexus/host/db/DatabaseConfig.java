package dev.nexus.host.db;

/**
 * The {@code database} configuration section. Immutable.
 *
 * <p>The timeouts are chosen so that an outage is a fast answer, not a hang: a request that cannot
 * get a connection within {@code connectTimeoutMillis} (database down, or every pooled connection
 * busy) fails with a 503 and {@code Retry-After}, and a statement that runs longer than
 * {@code statementTimeoutSeconds} is cancelled.
 *
 * @param url the JDBC URL; empty (the default) means the embedded H2 file database under the data
 *     directory. PostgreSQL: {@code jdbc:postgresql://host:5432/nexus}
 * @param username the user name; empty for H2's default
 * @param password the password; prefer the environment variable {@code NEXUS_DATABASE_PASSWORD}
 * @param poolSize the maximum number of pooled connections (default 10)
 * @param connectTimeoutMillis how long a request waits for a pooled connection (or PostgreSQL for a
 *     new one) before it fails with 503 (default 1000)
 * @param statementTimeoutSeconds how long one SQL statement may run before it is cancelled (default 15);
 *     schema migrations at start-up are not limited
 */
public record DatabaseConfig(
        String url,
        String username,
        String password,
        Integer poolSize,
        Integer connectTimeoutMillis,
        Integer statementTimeoutSeconds) {

    /** States the defaults and validates. */
    public DatabaseConfig {
        url = url == null ? "" : url.strip();
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        poolSize = poolSize == null ? 10 : poolSize;
        connectTimeoutMillis = connectTimeoutMillis == null ? 1_000 : connectTimeoutMillis;
        statementTimeoutSeconds = statementTimeoutSeconds == null ? 15 : statementTimeoutSeconds;
        if (!url.isEmpty() && !url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("url must be a jdbc:h2: or jdbc:postgresql: URL, got '" + url + "'");
        }
        if (poolSize < 1 || poolSize > 500) {
            throw new IllegalArgumentException("pool-size must be 1-500, got " + poolSize);
        }
        if (connectTimeoutMillis < 250) {
            throw new IllegalArgumentException("connect-timeout-millis must be >= 250, got " + connectTimeoutMillis);
        }
        if (statementTimeoutSeconds < 1 || statementTimeoutSeconds > 3600) {
            throw new IllegalArgumentException(
                    "statement-timeout-seconds must be 1-3600, got " + statementTimeoutSeconds);
        }
    }

    /** The configuration without a statement timeout setting (the default applies). */
    public DatabaseConfig(
            String url, String username, String password, Integer poolSize, Integer connectTimeoutMillis) {
        this(url, username, password, poolSize, connectTimeoutMillis, null);
    }

    /** Returns a configuration for {@code url} with default pool settings. */
    public static DatabaseConfig of(String url, String username, String password) {
        return new DatabaseConfig(url, username, password, null, null, null);
    }

    @Override
    public String toString() {
        return "DatabaseConfig[url=" + url + ", username=" + username + ", password="
                + (password.isEmpty() ? "" : "***")
                + ", poolSize=" + poolSize + ", connectTimeoutMillis=" + connectTimeoutMillis
                + ", statementTimeoutSeconds=" + statementTimeoutSeconds + "]";
    }
}
