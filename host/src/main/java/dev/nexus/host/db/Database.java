package dev.nexus.host.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.nexus.host.DependencyException;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database: a connection pool, the schema migrated by Flyway at start, and Jdbi for the
 * repositories. One schema serves both backends; H2 runs in PostgreSQL mode.
 *
 * <p>Thread-safe. {@link #close()} closes the pool.
 */
public final class Database implements AutoCloseable {

    /** The backend in use; repositories use it only where the SQL dialects truly differ. */
    public enum Kind { H2, POSTGRESQL }

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource pool;
    private final Jdbi jdbi;
    private final Kind kind;
    private final String description;

    private Database(HikariDataSource pool, Kind kind, String description) {
        this.pool = pool;
        this.kind = kind;
        this.description = description;
        this.jdbi = Jdbi.create(pool);
    }

    /**
     * Opens the configured database (the H2 file under {@code dataDir} when no URL is set) and
     * migrates it to the current schema.
     *
     * @throws DependencyException if the database cannot be reached or migrated; the message names
     *     the URL (never the password) and the fix
     */
    public static Database open(DatabaseConfig config, Path dataDir) {
        String url = config.url().isEmpty() ? h2FileUrl(dataDir.resolve("db").resolve("nexus")) : config.url();
        Kind kind = url.startsWith("jdbc:postgresql:") ? Kind.POSTGRESQL : Kind.H2;
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        if (!config.username().isEmpty()) {
            hikari.setUsername(config.username());
        }
        if (!config.password().isEmpty()) {
            hikari.setPassword(config.password());
        }
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setConnectionTimeout(config.connectTimeoutMillis());
        hikari.setInitializationFailTimeout(config.connectTimeoutMillis());
        hikari.setPoolName("nexus-db");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new DependencyException("cannot connect to the database at " + redact(url) + ": " + rootMessage(e)
                    + (kind == Kind.POSTGRESQL ? "; check that PostgreSQL is running and database.url/username/password are right"
                            : "; check that the data directory is writable and no other Nexus process holds the file"),
                    true, e);
        }
        Database database = new Database(pool, kind, redact(url));
        try {
            database.migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new DependencyException("cannot migrate the database at " + redact(url) + ": " + rootMessage(e), false, e);
        }
        return database;
    }

    /** Returns the JDBC URL of an H2 file database at {@code file} (without extension), in PostgreSQL mode. */
    public static String h2FileUrl(Path file) {
        return "jdbc:h2:file:" + file.toAbsolutePath() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }

    private void migrate() {
        var result = Flyway.configure()
                .dataSource(pool)
                .locations("classpath:db/migration")
                .failOnMissingLocations(true)
                // Features add migrations in their own version ranges (V8_x, V9_x, ...) that can
                // land in any order; a database migrated before a lower range landed still takes it.
                .outOfOrder(true)
                .load()
                .migrate();
        LOG.info("database {} ({}) at schema version {}", description, kind, result.targetSchemaVersion != null
                ? result.targetSchemaVersion : "current");
    }

    /** Returns Jdbi over the pool, for repositories. */
    public Jdbi jdbi() {
        return jdbi;
    }

    /** Returns the backend. */
    public Kind kind() {
        return kind;
    }

    /** Returns the URL without credentials, for logs and health reports. */
    public String description() {
        return description;
    }

    /** Returns true when a trivial query answers within a second. */
    public boolean healthy() {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            LOG.warn("database health check failed: {}", rootMessage(e));
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
