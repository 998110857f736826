package dev.nexus.host.testing;

import dev.nexus.host.db.Database;

/**
 * A fresh, migrated database for one test, on H2 or PostgreSQL. JUnit closes it after a
 * parameterized test (arguments that are {@link AutoCloseable} are closed automatically), which
 * drops a PostgreSQL database and deletes an H2 file.
 */
public final class TestDatabase implements AutoCloseable {

    private final String backend;
    private final Database database;
    private final String url;
    private final Runnable cleanup;
    private final String postgresName;

    TestDatabase(String backend, Database database, String url, Runnable cleanup) {
        this(backend, database, url, cleanup, null);
    }

    TestDatabase(String backend, Database database, String url, Runnable cleanup, String postgresName) {
        this.backend = backend;
        this.database = database;
        this.url = url;
        this.cleanup = cleanup;
        this.postgresName = postgresName;
    }

    /**
     * Simulates a database outage (PostgreSQL only): new connections are refused and open ones ended,
     * until {@link #up()}. An embedded H2 cannot be taken away from under its user.
     */
    public void down() {
        TestDatabases.setPostgresOnline(requirePostgres(), false);
    }

    /** Ends a {@link #down()} outage. */
    public void up() {
        TestDatabases.setPostgresOnline(requirePostgres(), true);
    }

    private String requirePostgres() {
        if (postgresName == null) {
            throw new IllegalStateException("down()/up() need a PostgreSQL TestDatabase; this one is " + backend);
        }
        return postgresName;
    }

    /** Returns the open, migrated database. */
    public Database database() {
        return database;
    }

    /** Returns {@code h2} or {@code postgresql}. */
    public String backend() {
        return backend;
    }

    /** Returns the JDBC URL (with credentials in the URL for PostgreSQL), e.g. to start a host on it. */
    public String url() {
        return url;
    }

    @Override
    public void close() {
        database.close();
        cleanup.run();
    }

    @Override
    public String toString() {
        return backend;
    }
}
