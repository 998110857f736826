package dev.nexus.host.db;

/**
 * The {@code database} configuration section. Immutable.
 *
 * @param url the JDBC URL; empty (the default) means the embedded H2 file database under the data
 *     directory. PostgreSQL: {@code jdbc:postgresql://host:5432/nexus}
 * @param username the user name; empty for H2's default
 * @param password the password; prefer the environment variable {@code NEXUS_DATABASE_PASSWORD}
 * @param poolSize the maximum number of pooled connections (default 10)
 * @param connectTimeoutMillis how long to wait for a connection before failing (default 10000)
 */
public record DatabaseConfig(String url, String username, String password, Integer poolSize, Integer connectTimeoutMillis) {

    /** States the defaults and validates. */
    public DatabaseConfig {
        url = url == null ? "" : url.strip();
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        poolSize = poolSize == null ? 10 : poolSize;
        connectTimeoutMillis = connectTimeoutMillis == null ? 10_000 : connectTimeoutMillis;
        if (!url.isEmpty() && !url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("url must be a jdbc:h2: or jdbc:postgresql: URL, got '" + url + "'");
        }
        if (poolSize < 1 || poolSize > 500) {
            throw new IllegalArgumentException("pool-size must be 1-500, got " + poolSize);
        }
        if (connectTimeoutMillis < 250) {
            throw new IllegalArgumentException("connect-timeout-millis must be >= 250, got " + connectTimeoutMillis);
        }
    }

    /** Returns a configuration for {@code url} with default pool settings. */
    public static DatabaseConfig of(String url, String username, String password) {
        return new DatabaseConfig(url, username, password, null, null);
    }

    @Override
    public String toString() {
        return "DatabaseConfig[url=" + url + ", username=" + username + ", password=" + (password.isEmpty() ? "" : "***")
                + ", poolSize=" + poolSize + "]";
    }
}
