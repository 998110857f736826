package dev.nexus.host.testing;

import dev.nexus.host.Host;
import dev.nexus.host.config.Settings;
import dev.nexus.host.db.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The real host for tests: port 0, a temporary data directory, H2 by default (or PostgreSQL, or any
 * JDBC URL), a fixed admin key. Use {@link #http()} to call it. Close it after the test.
 *
 * <pre>{@code
 * try (TestHost host = TestHost.builder().yaml("plugins: {directory: /tmp/x}").start()) {
 *     var response = host.http().get("/v1/plugins");
 * }
 * }</pre>
 *
 * <p><b>Both databases.</b> A test class that stores data runs on H2 and PostgreSQL: annotate it
 * {@code @ParameterizedClass @MethodSource(TestHost.DATABASES)}, take the backend in a field
 * ({@code @Parameter Database.Kind database;}) or in {@code @BeforeParameterizedClassInvocation static
 * void start(Database.Kind database)} (instead of {@code @BeforeAll}; {@code @AfterAll} becomes
 * {@code @AfterParameterizedClassInvocation}), and pass it to {@link Builder#database(Database.Kind)}.
 * Every host start on PostgreSQL gets a fresh database (a copy of a template migrated once per
 * JVM, on the one server {@code ./nexus test} starts), dropped when the host closes; a host restarted
 * on the same {@link Builder#dataDir} finds the same PostgreSQL database again.
 */
public final class TestHost implements AutoCloseable {

    /** The {@code @MethodSource} of the backends a test class runs on: H2 and PostgreSQL. */
    public static final String DATABASES = "dev.nexus.host.testing.TestDatabases#kinds";

    /** The admin key every test host accepts. */
    public static final String ADMIN_KEY = "nxk_test-admin-key-0123456789abcdef";

    private final Host host;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final Database.Kind kind;
    private final Optional<String> postgres;
    private final boolean ownsPostgres;
    private final Optional<String> url;

    private TestHost(
            Host host,
            Path dataDir,
            boolean ownsDataDir,
            Database.Kind kind,
            Optional<String> postgres,
            boolean ownsPostgres,
            Optional<String> url) {
        this.url = url;
        this.host = host;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.kind = kind;
        this.postgres = postgres;
        this.ownsPostgres = ownsPostgres;
    }

    /** Returns a builder for a test host. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a host with all defaults. */
    public static TestHost start() {
        return builder().start();
    }

    /** Starts a host with all defaults on a fresh database of {@code kind}. */
    public static TestHost start(Database.Kind kind) {
        return builder().database(kind).start();
    }

    /** Returns the base URL, e.g. {@code http://127.0.0.1:41234}. */
    public URI baseUrl() {
        return host.baseUri();
    }

    /** Returns the admin key. */
    public String adminKey() {
        return ADMIN_KEY;
    }

    /** Returns an HTTP client that sends the admin key. */
    public TestHttp http() {
        return new TestHttp(baseUrl(), ADMIN_KEY);
    }

    /** Returns the data directory. */
    public Path dataDir() {
        return dataDir;
    }

    /** Returns the running host. */
    public Host host() {
        return host;
    }

    /**
     * Returns the JDBC URL of the host's database, for tests that look at the stored rows themselves
     * (H2: the same embedded file database, shared within this JVM).
     */
    public String jdbcUrl() {
        return url.or(() -> postgres.map(TestDatabases::postgresUrl))
                .orElseGet(() -> Database.h2FileUrl(dataDir.resolve("db").resolve("nexus")));
    }

    /** Returns the backend the host runs on. */
    public Database.Kind databaseKind() {
        return kind;
    }

    /**
     * Simulates a database outage: the host's PostgreSQL database refuses new connections and its open
     * ones are ended, until {@link #databaseUp()}. Only for hosts started with
     * {@code database(Database.Kind.POSTGRESQL)}: an embedded H2 cannot be taken away from under the host.
     */
    public void databaseDown() {
        TestDatabases.setPostgresOnline(requireOwnPostgres(), false);
    }

    /** Ends a {@link #databaseDown()} outage: the database takes connections again. */
    public void databaseUp() {
        TestDatabases.setPostgresOnline(requireOwnPostgres(), true);
    }

    private String requireOwnPostgres() {
        return postgres.orElseThrow(() -> new IllegalStateException("databaseDown/databaseUp need a host started with "
                + "TestHost.builder().database(Database.Kind.POSTGRESQL); this one runs on " + kind));
    }

    @Override
    public void close() {
        try {
            host.close();
        } finally {
            if (ownsPostgres) {
                postgres.ifPresent(TestDatabases::dropPostgres);
            }
            if (ownsDataDir) {
                TestDatabases.delete(dataDir);
            }
        }
    }

    /** Configures a test host. */
    public static final class Builder {
        private final StringBuilder yaml = new StringBuilder();
        private final Map<String, String> env = new LinkedHashMap<>();
        private Path dataDir;
        private Clock clock = Clock.systemUTC();
        private Database.Kind kind = Database.Kind.H2;

        private Builder() {}

        /** Adds YAML configuration (whole sections). */
        public Builder yaml(String text) {
            yaml.append(text).append('\n');
            return this;
        }

        /** Sets an environment variable as the host sees it. */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** Uses {@code dir} as the data directory (kept after close), e.g. to restart on the same data. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** Uses the database at {@code jdbcUrl} instead of H2 in the data directory. */
        public Builder database(String jdbcUrl) {
            env.put("NEXUS_DATABASE_URL", jdbcUrl);
            return this;
        }

        /**
         * Runs the host on a fresh database of {@code kind}: H2 in the data directory (the default), or a
         * new PostgreSQL database on the test server ({@code NEXUS_TEST_PG_URL}), dropped when the host
         * closes unless a {@link #dataDir} was given (then a restart on that directory reuses it).
         */
        public Builder database(Database.Kind value) {
            this.kind = Objects.requireNonNull(value, "kind");
            return this;
        }

        /** Uses {@code clock} in the host. */
        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /** Starts the host. */
        public TestHost start() {
            boolean owns = dataDir == null;
            Path dir;
            try {
                dir = owns ? Files.createTempDirectory("nexus-host-") : dataDir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Optional<String> postgres = Optional.empty();
            boolean ownsPostgres = false;
            Map<String, String> environment = new LinkedHashMap<>();
            environment.put("NEXUS_PORT", "0");
            environment.put("NEXUS_DATA_DIR", dir.toString());
            environment.put("NEXUS_ADMIN_KEY", ADMIN_KEY);
            if (kind == Database.Kind.POSTGRESQL && !env.containsKey("NEXUS_DATABASE_URL")) {
                Path marker = dir.resolve(POSTGRES_MARKER);
                try {
                    if (Files.exists(marker)) {
                        postgres = Optional.of(Files.readString(marker).strip());
                    } else {
                        postgres = Optional.of(TestDatabases.createPostgres());
                        ownsPostgres = owns;
                        if (!owns) {
                            Files.writeString(marker, postgres.get());
                            String name = postgres.get();
                            Runtime.getRuntime().addShutdownHook(new Thread(() -> TestDatabases.dropPostgres(name)));
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                environment.put("NEXUS_DATABASE_URL", TestDatabases.postgresUrl(postgres.get()));
            }
            environment.putAll(env);
            try {
                Host host = Host.start(Settings.of(yaml.toString(), environment), clock);
                return new TestHost(
                        host,
                        dir,
                        owns,
                        kind,
                        postgres,
                        ownsPostgres,
                        Optional.ofNullable(environment.get("NEXUS_DATABASE_URL")));
            } catch (RuntimeException e) {
                if (ownsPostgres) {
                    postgres.ifPresent(TestDatabases::dropPostgres);
                }
                throw e;
            }
        }
    }

    /** The file in a kept data directory that names its PostgreSQL database, so a restart finds it. */
    private static final String POSTGRES_MARKER = "test-postgres-database";
}
