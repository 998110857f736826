package dev.nexus.host.testing;

import dev.nexus.host.db.Database;
import dev.nexus.host.db.DatabaseConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Fresh databases for repository tests, so the same test runs on both backends:
 *
 * <pre>{@code
 * @ParameterizedTest
 * @MethodSource("dev.nexus.host.testing.TestDatabases#all")
 * void remember_whenStored_isRecalled(TestDatabase db) { ... db.database() ... }
 * }</pre>
 *
 * <p>PostgreSQL comes from {@code NEXUS_TEST_PG_URL} (a superuser JDBC URL; {@code ./nexus test}
 * starts a private server and sets it). Each test gets its own database, cloned from a template
 * migrated once per JVM. Without the variable the PostgreSQL cases FAIL with instructions, unless
 * the system property {@code nexus.test.postgres=optional} says to skip them knowingly.
 */
public final class TestDatabases {

    /** The {@code @MethodSource} of the backends, for {@code @ParameterizedClass}: see {@link TestHost}. */
    public static final String KINDS = "dev.nexus.host.testing.TestDatabases#kinds";

    private static final String PG_URL = System.getenv("NEXUS_TEST_PG_URL");
    private static volatile String template;

    private TestDatabases() {}

    /** Returns a fresh H2 database and a fresh PostgreSQL database. */
    public static Stream<TestDatabase> all() {
        return Stream.of("h2", "postgresql").map(TestDatabases::fresh).filter(db -> db != null);
    }

    /**
     * Returns the backends a whole test class runs on: H2, then PostgreSQL (left out, with a note on
     * stderr, only when {@code nexus.test.postgres=optional} and no server is configured). Use it with
     * {@code @ParameterizedClass}; see {@link TestHost}.
     */
    public static Stream<Database.Kind> kinds() {
        if (!postgresAvailable() && "optional".equals(System.getProperty("nexus.test.postgres"))) {
            System.err.println(
                    "[nexus] skipping the PostgreSQL case: NEXUS_TEST_PG_URL is not set and nexus.test.postgres=optional");
            return Stream.of(Database.Kind.H2);
        }
        return Stream.of(Database.Kind.H2, Database.Kind.POSTGRESQL);
    }

    /** Returns a fresh database of {@code kind}: {@link #h2()} or {@link #postgres()}. */
    public static TestDatabase of(Database.Kind kind) {
        return kind == Database.Kind.POSTGRESQL ? postgres() : h2();
    }

    /**
     * Creates an empty, migrated PostgreSQL database (a copy of the template) and returns its name;
     * fails with instructions when none is configured. Drop it with {@link #dropPostgres}.
     */
    static String createPostgres() {
        String admin = requirePostgres();
        String name = "nexus_t_"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()).toLowerCase(Locale.ROOT);
        execute(admin, "CREATE DATABASE " + name + " TEMPLATE " + template(admin));
        return name;
    }

    /** Returns the JDBC URL of the PostgreSQL database {@code name} (superuser credentials included). */
    static String postgresUrl(String name) {
        return withDatabase(requirePostgres(), name);
    }

    /** Drops the PostgreSQL database {@code name}, closing whatever is still connected to it. */
    static void dropPostgres(String name) {
        execute(requirePostgres(), "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    /**
     * Takes the PostgreSQL database {@code name} down (refuses new connections and ends open ones) or
     * brings it back, as an outage of the database server looks to a host using it.
     */
    static void setPostgresOnline(String name, boolean online) {
        String admin = requirePostgres();
        execute(admin, "ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS " + online);
        if (!online) {
            execute(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
        }
    }

    /** Returns a fresh H2 file database in a temporary directory. */
    public static TestDatabase h2() {
        try {
            Path dir = Files.createTempDirectory("nexus-h2-");
            Database database = Database.open(DatabaseConfig.of("", "", ""), dir);
            return new TestDatabase(
                    "h2", database, Database.h2FileUrl(dir.resolve("db").resolve("nexus")), () -> delete(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns a fresh PostgreSQL database; fails with instructions when none is configured. */
    public static TestDatabase postgres() {
        return postgres(DatabaseConfig.of("", "", "").connectTimeoutMillis());
    }

    /**
     * Returns a fresh PostgreSQL database whose pool gives up on a connection after
     * {@code connectTimeoutMillis}, for tests that take it down ({@link TestDatabase#down()}).
     */
    public static TestDatabase postgres(int connectTimeoutMillis) {
        String admin = requirePostgres();
        String name = createPostgres();
        String url = withDatabase(admin, name);
        Database database = Database.open(
                new DatabaseConfig(url, "", "", null, connectTimeoutMillis),
                Path.of(System.getProperty("java.io.tmpdir")));
        return new TestDatabase(
                "postgresql",
                database,
                url,
                () -> execute(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"),
                name);
    }

    /** Returns true when PostgreSQL tests will run. */
    public static boolean postgresAvailable() {
        return PG_URL != null && !PG_URL.isBlank();
    }

    private static TestDatabase fresh(String backend) {
        if (backend.equals("h2")) {
            return h2();
        }
        if (!postgresAvailable() && "optional".equals(System.getProperty("nexus.test.postgres"))) {
            System.err.println(
                    "[nexus] skipping the PostgreSQL case: NEXUS_TEST_PG_URL is not set and nexus.test.postgres=optional");
            return null;
        }
        return postgres();
    }

    private static String requirePostgres() {
        if (!postgresAvailable()) {
            throw new IllegalStateException("PostgreSQL tests need NEXUS_TEST_PG_URL (a superuser JDBC URL such as "
                    + "jdbc:postgresql://127.0.0.1:55432/postgres?user=nexus). Run ./nexus test, which starts a private "
                    + "PostgreSQL and sets it, or pass -Dnexus.test.postgres=optional to skip these cases knowingly.");
        }
        return PG_URL;
    }

    private static String template(String admin) {
        String name = template;
        if (name != null) {
            return name;
        }
        synchronized (TestDatabases.class) {
            if (template == null) {
                String candidate = "nexus_tpl_" + ProcessHandle.current().pid() + "_"
                        + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
                execute(admin, "CREATE DATABASE " + candidate);
                try (Database migrated = Database.open(
                        DatabaseConfig.of(withDatabase(admin, candidate), "", ""),
                        Path.of(System.getProperty("java.io.tmpdir")))) {
                    // Opening migrates; closing releases every connection so the template can be copied.
                }
                Runtime.getRuntime()
                        .addShutdownHook(new Thread(
                                () -> execute(admin, "DROP DATABASE IF EXISTS " + candidate + " WITH (FORCE)")));
                template = candidate;
            }
            return template;
        }
    }

    static String withDatabase(String url, String database) {
        int start = url.indexOf("//");
        int slash = url.indexOf('/', start + 2);
        int query = url.indexOf('?', slash);
        return url.substring(0, slash + 1) + database + (query < 0 ? "" : url.substring(query));
    }

    private static void execute(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "PostgreSQL at " + url.replaceAll("password=[^&]*", "password=***") + " refused '" + sql + "': "
                            + e.getMessage(),
                    e);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // temporary files; the OS cleans up what is left
        }
    }
}
