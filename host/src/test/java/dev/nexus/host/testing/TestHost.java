package dev.nexus.host.testing;

import dev.nexus.host.Host;
import dev.nexus.host.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The real host for tests: port 0, a temporary data directory, H2 by default (or any JDBC URL), a
 * fixed admin key. Use {@link #http()} to call it. Close it after the test.
 *
 * <pre>{@code
 * try (TestHost host = TestHost.builder().yaml("plugins: {directory: /tmp/x}").start()) {
 *     var response = host.http().get("/v1/plugins");
 * }
 * }</pre>
 */
public final class TestHost implements AutoCloseable {

    /** The admin key every test host accepts. */
    public static final String ADMIN_KEY = "nxk_test-admin-key-0123456789abcdef";

    private final Host host;
    private final Path dataDir;
    private final boolean ownsDataDir;

    private TestHost(Host host, Path dataDir, boolean ownsDataDir) {
        this.host = host;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
    }

    /** Returns a builder for a test host. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a host with all defaults. */
    public static TestHost start() {
        return builder().start();
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

    @Override
    public void close() {
        host.close();
        if (ownsDataDir) {
            TestDatabases.delete(dataDir);
        }
    }

    /** Configures a test host. */
    public static final class Builder {
        private final StringBuilder yaml = new StringBuilder();
        private final Map<String, String> env = new LinkedHashMap<>();
        private Path dataDir;
        private Clock clock = Clock.systemUTC();

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
            Map<String, String> environment = new LinkedHashMap<>();
            environment.put("NEXUS_PORT", "0");
            environment.put("NEXUS_DATA_DIR", dir.toString());
            environment.put("NEXUS_ADMIN_KEY", ADMIN_KEY);
            environment.putAll(env);
            Host host = Host.start(Settings.of(yaml.toString(), environment), clock);
            return new TestHost(host, dir, owns);
        }
    }
}
