package dev.nexus.host.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.nexus.host.DependencyException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
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
    public enum Kind {
        H2,
        POSTGRESQL
    }

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /** How long start-up waits for the database to answer at all (a PostgreSQL still starting). */
    private static final int START_WAIT_MILLIS = 10_000;

    /** SQLSTATE for a unique-constraint violation, the same on H2 and PostgreSQL. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final HikariDataSource pool;
    private final Jdbi jdbi;
    private final Kind kind;
    private final String description;

    private Database(HikariDataSource pool, Kind kind, String description, int statementTimeoutSeconds) {
        this.pool = pool;
        this.kind = kind;
        this.description = description;
        this.jdbi = Jdbi.create(pool);
        // A statement that runs away (a lock wait, a huge scan) is cancelled instead of holding a request.
        // On H2 the limit is the connection's own setting (QUERY_TIMEOUT in the URL, see open): H2's
        // Statement.setQueryTimeout runs "SET QUERY_TIMEOUT" on every call, and every SET empties the parsed
        // statement cache of every connection, so a limit per statement had H2 parse each statement anew.
        if (kind == Kind.POSTGRESQL) {
            jdbi.getConfig(SqlStatements.class).setQueryTimeout(statementTimeoutSeconds);
        }
    }

    /**
     * Opens the configured database (the H2 file under {@code dataDir} when no URL is set) and
     * migrates it to the current schema.
     *
     * @throws DependencyException if the database cannot be reached or migrated; the message names
     *     the URL (never the password) and the fix
     */
    public static Database open(DatabaseConfig config, Path dataDir) {
        return open(config, dataDir, true);
    }

    /** Opens the database like {@link #open} without migrating it (for a restore, which replaces the schema). */
    static Database openUnmigrated(DatabaseConfig config, Path dataDir) {
        return open(config, dataDir, false);
    }

    private static Database open(DatabaseConfig config, Path dataDir, boolean migrate) {
        String url = config.url().isEmpty() ? h2FileUrl(dataDir.resolve("db").resolve("nexus")) : config.url();
        Kind kind = url.startsWith("jdbc:postgresql:") ? Kind.POSTGRESQL : Kind.H2;
        if (kind == Kind.H2
                && url.startsWith("jdbc:h2:file:")
                && !url.toUpperCase(java.util.Locale.ROOT).contains("WRITE_DELAY")) {
            url = url + ";WRITE_DELAY=0"; // see h2FileUrl: an answered commit must be in the file
        }
        if (kind == Kind.H2 && !url.toUpperCase(java.util.Locale.ROOT).contains("QUERY_CACHE_SIZE")) {
            // H2 keeps 8 parsed statements per connection by default; a chat turn runs about 20
            // different ones, so each was parsed again on every turn (8% of the host's CPU under load).
            url = url + ";QUERY_CACHE_SIZE=128";
        }
        if (kind == Kind.H2 && !url.toUpperCase(java.util.Locale.ROOT).contains("QUERY_TIMEOUT")) {
            // The statement timeout as a setting of each connection (milliseconds), set once when it opens.
            url = url + ";QUERY_TIMEOUT=" + config.statementTimeoutSeconds() * 1000L;
        }
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        if (!config.username().isEmpty()) {
            hikari.setUsername(config.username());
        }
        if (!config.password().isEmpty()) {
            hikari.setPassword(config.password());
        }
        hikari.setMaximumPoolSize(config.poolSize());
        // An outage must be a fast 503: a request waits at most this long for a connection, whether the
        // database is down or every pooled connection is busy.
        hikari.setConnectionTimeout(config.connectTimeoutMillis());
        hikari.setValidationTimeout(Math.max(250, config.connectTimeoutMillis()));
        hikari.setInitializationFailTimeout(Math.max(config.connectTimeoutMillis(), START_WAIT_MILLIS));
        hikari.setPoolName("nexus-db");
        if (kind == Kind.POSTGRESQL) {
            // The driver's own waits (seconds): opening a socket, logging in, and reading from a server
            // that stopped answering (a dead peer keeps a socket open until this fires).
            int connectSeconds = Math.max(1, (config.connectTimeoutMillis() + 999) / 1000);
            hikari.addDataSourceProperty("connectTimeout", Integer.toString(connectSeconds));
            hikari.addDataSourceProperty("loginTimeout", Integer.toString(connectSeconds));
            hikari.addDataSourceProperty("socketTimeout", Integer.toString(config.statementTimeoutSeconds() + 5));
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new DependencyException(
                    "cannot connect to the database at " + redact(url) + ": " + rootMessage(e)
                            + (kind == Kind.POSTGRESQL
                                    ? "; check that PostgreSQL is running and database.url/username/password are right"
                                    : "; check that the data directory is writable and no other Nexus process holds the file"),
                    true,
                    e);
        }
        Database database = new Database(pool, kind, redact(url), config.statementTimeoutSeconds());
        if (!migrate) {
            return database;
        }
        try {
            database.migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new DependencyException(
                    "cannot migrate the database at " + redact(url) + ": " + rootMessage(e), false, e);
        }
        return database;
    }

    /** True when {@code e} (or a cause) is a unique-constraint violation: another writer got there first. */
    public static boolean isUniqueViolation(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the JDBC URL of an H2 file database at {@code file} (without extension), in PostgreSQL mode.
     *
     * <p>{@code WRITE_DELAY=0}: H2's default keeps committed changes in memory for up to 500 ms
     * before its background writer stores them, so a process killed in that window loses turns that
     * were already answered. With 0, MVStore writes every commit to the file before the commit
     * returns (to the operating system: it survives the process, not a power cut, as H2 never fsyncs
     * a commit).
     */
    public static String h2FileUrl(Path file) {
        return "jdbc:h2:file:" + file.toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
    }

    private void migrate() {
        // db/migration serves both backends; db/h2 and db/postgresql hold what only one can say
        // (e.g. the triggers that keep audit_log append-only).
        List<String> locations = List.of("db/migration", kind == Kind.POSTGRESQL ? "db/postgresql" : "db/h2");
        // A restart on an unchanged schema: the history already records every migration here, unchanged, so
        // Flyway would find nothing to do (its set-up and validation were ~14% of a restart's main thread).
        // Anything else (first start, a new or out-of-order migration, an edited one) runs Flyway below.
        Optional<String> current = AppliedMigrations.upToDate(jdbi, locations, Database.class.getClassLoader());
        if (current.isPresent()) {
            LOG.info("database {} ({}) at schema version {}", description, kind, current.get());
            return;
        }
        var result = Flyway.configure()
                .dataSource(pool)
                .locations(locations.stream().map(l -> "classpath:" + l).toArray(String[]::new))
                .failOnMissingLocations(true)
                // Features add migrations in their own version ranges (V8_x, V9_x, ...) that can
                // land in any order; a database migrated before a lower range landed still takes it.
                .outOfOrder(true)
                .load()
                .migrate();
        LOG.info(
                "database {} ({}) at schema version {}",
                description,
                kind,
                result.targetSchemaVersion != null ? result.targetSchemaVersion : "current");
    }

    /**
     * Opens a connection outside the pool, with the pool's URL and credentials, for work that holds a
     * connection for good (PostgreSQL's {@code LISTEN}). The caller closes it.
     *
     * @throws java.sql.SQLException when the database cannot be reached
     */
    public java.sql.Connection dedicatedConnection() throws java.sql.SQLException {
        java.util.Properties properties = new java.util.Properties();
        pool.getDataSourceProperties().forEach(properties::put);
        if (pool.getUsername() != null) {
            properties.put("user", pool.getUsername());
        }
        if (pool.getPassword() != null) {
            properties.put("password", pool.getPassword());
        }
        return java.sql.DriverManager.getConnection(pool.getJdbcUrl(), properties);
    }

    /** Returns Jdbi over the pool, for repositories. */
    public Jdbi jdbi() {
        return jdbi;
    }

    /**
     * Runs {@code work} as one transaction: the statements that repositories run on this thread meanwhile
     * join it (Jdbi hands nested calls on a thread the outermost call's handle), so they commit together
     * or not at all, with one commit (on H2, one write to the file) instead of one each. {@code work} must
     * not catch a failed statement and go on: PostgreSQL refuses every later statement of the transaction.
     */
    public void inTransaction(Runnable work) {
        jdbi.useTransaction(h -> work.run());
    }

    /** Returns the backend. */
    public Kind kind() {
        return kind;
    }

    /** Returns the URL without credentials, for logs and health reports. */
    public String description() {
        return description;
    }

    /**
     * Returns true when a trivial query answers within {@code limit}. The query runs on a virtual
     * thread of its own, so the caller waits no longer than {@code limit} even when the database
     * hangs or the pool is exhausted; an abandoned check ends by itself at the connection timeout.
     */
    public boolean healthy(Duration limit) {
        var check = new java.util.concurrent.FutureTask<>(() -> jdbi.withHandle(
                        h -> h.createQuery("SELECT 1").mapTo(Integer.class).one())
                == 1);
        Thread.ofVirtual().name("nexus-db-health").start(check);
        try {
            return check.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            check.cancel(true);
            LOG.warn("database health check: no answer within {} ms", limit.toMillis());
            return false;
        } catch (ExecutionException e) {
            LOG.warn("database health check failed: {}", rootMessage(e));
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Returns true when a trivial query answers within a second. */
    public boolean healthy() {
        return healthy(Duration.ofSeconds(1));
    }

    /** Returns the pool's connections: in use, idle, and requests waiting for one; for metrics and health. */
    public PoolUsage poolUsage() {
        var bean = pool.getHikariPoolMXBean();
        return bean == null
                ? new PoolUsage(0, 0, 0, pool.getMaximumPoolSize())
                : new PoolUsage(
                        bean.getActiveConnections(),
                        bean.getIdleConnections(),
                        bean.getThreadsAwaitingConnection(),
                        pool.getMaximumPoolSize());
    }

    /**
     * The pool's state at one moment. Immutable.
     *
     * @param active connections lent out
     * @param idle connections ready
     * @param waiting requests waiting for a connection
     * @param max the pool's size limit
     */
    public record PoolUsage(int active, int idle, int waiting, int max) {}

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
