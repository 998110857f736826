package dev.nexus.host.testing;

import dev.nexus.host.Main;
import dev.nexus.host.db.Database;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real host in a child JVM ({@link Main} on the test class path), for what only a process can
 * show: {@code kill -9}, {@code SIGTERM}, a restart on the same data. Port 0, the given data
 * directory, the test admin key, H2 or a PostgreSQL database of its own (kept across restarts on
 * the same {@link Config}). Everything the child prints is kept for failure messages.
 */
public final class ChildHost implements AutoCloseable {

    private static final Pattern RUNNING = Pattern.compile("Nexus is running at (http://\\S+)");

    /** Where a child host keeps its data, shared by the restarts of one test. */
    public record Config(Path dataDir, Database.Kind kind, Optional<String> postgresDatabase, Map<String, String> env) {

        /** Returns a fresh data directory (and PostgreSQL database) for {@code kind}, with extra environment. */
        public static Config fresh(Database.Kind kind, Map<String, String> env) {
            try {
                Path dir = Files.createTempDirectory("nexus-child-");
                Optional<String> postgres = kind == Database.Kind.POSTGRESQL
                        ? Optional.of(TestDatabases.createPostgres())
                        : Optional.empty();
                Map<String, String> all = new LinkedHashMap<>(env);
                if (postgres.isPresent()) {
                    // Hosts sharing one PostgreSQL share its vault, so they must share its master key
                    // (docs/vault.md): each would otherwise create its own key file, and the second
                    // would refuse to start against a vault sealed with the first one's key.
                    byte[] key = new byte[32];
                    new SecureRandom().nextBytes(key);
                    all.putIfAbsent("NEXUS_VAULT_KEY", Base64.getEncoder().encodeToString(key));
                }
                return new Config(dir, kind, postgres, Map.copyOf(all));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Returns a config for another host on the same PostgreSQL database, with a data directory of its own. */
        public Config anotherHost() {
            try {
                return new Config(Files.createTempDirectory("nexus-child-"), kind, postgresDatabase, env);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Deletes the data directory only (the database stays, for the hosts sharing it). */
        public void deleteDataDir() {
            TestDatabases.delete(dataDir);
        }

        /** Opens the child's database directly (while no child runs on H2, whose file allows one process), for checks. */
        public Database openDatabase() {
            return Database.open(
                    postgresDatabase
                            .map(name -> dev.nexus.host.db.DatabaseConfig.of(TestDatabases.postgresUrl(name), "", ""))
                            .orElse(dev.nexus.host.db.DatabaseConfig.of("", "", "")),
                    dataDir);
        }

        /** Deletes the data directory and drops the PostgreSQL database. */
        public void delete() {
            postgresDatabase.ifPresent(TestDatabases::dropPostgres);
            TestDatabases.delete(dataDir);
        }
    }

    private final Process process;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<URI> baseUri = new CompletableFuture<>();

    private final Thread reader;

    private ChildHost(Process process) {
        this.process = process;
        this.reader = Thread.ofPlatform().daemon(true).name("child-host-output").start(this::readOutput);
    }

    /** Starts a child host on {@code config}; returns once it listens (or fails with its output). */
    public static ChildHost start(Config config) {
        ChildHost child = launch(config);
        child.awaitListening();
        return child;
    }

    /** Starts a child host without waiting for it to listen. */
    public static ChildHost launch(Config config) {
        return launch(config, List.of());
    }

    /** Starts a child host with extra JVM options (e.g. {@code -D} properties) without waiting for it to listen. */
    public static ChildHost launch(Config config, List<String> jvmOptions) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // A JVM crash report lands in the data directory, where a test can look for it.
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-XX:ErrorFile=" + config.dataDir().resolve("hs_err_pid%p.log"),
                // The server's own logging (info), not the quiet logback-test.xml on the test class path: tests
                // wait for what it says.
                "-Dnexus.logging.builtin=true"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, Main.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("NEXUS_PORT", "0");
        env.put("NEXUS_SERVER_HOST", "127.0.0.1");
        env.put("NEXUS_DATA_DIR", config.dataDir().toString());
        env.put("NEXUS_ADMIN_KEY", TestHost.ADMIN_KEY);
        config.postgresDatabase().ifPresent(name -> env.put("NEXUS_DATABASE_URL", TestDatabases.postgresUrl(name)));
        env.putAll(config.env());
        builder.environment().keySet().removeIf(name -> name.startsWith("NEXUS_"));
        builder.environment().putAll(env);
        try {
            return new ChildHost(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the child prints where it listens; fails with its output if it exits first. */
    public URI awaitListening() {
        try {
            return baseUri.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("the child host did not start listening; its output:\n" + output(), e);
        }
    }

    /** Returns true once the child has printed where it listens. */
    public boolean listening() {
        return baseUri.isDone() && !baseUri.isCompletedExceptionally();
    }

    /** Returns an HTTP client for the child with the admin key. */
    public TestHttp http() {
        return new TestHttp(awaitListening(), TestHost.ADMIN_KEY);
    }

    /** Returns the child's process id. */
    public long pid() {
        return process.pid();
    }

    /** Kills the child at once ({@code kill -9}) and waits for it to be gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** Sends {@code SIGTERM} (what a service manager sends to stop a server). */
    public void terminate() {
        // Through the handle: Process.destroy() also closes our end of the child's output, losing what it
        // prints while it stops.
        process.toHandle().destroy();
    }

    /** Waits for the child to exit and returns its exit code. */
    public int awaitExit() {
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the child host did not exit; its output:\n" + output());
            }
            reader.join(10_000); // everything it printed is read
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until the child prints a line containing {@code text}; returns false when it exits (or
     * two minutes pass) first.
     */
    public boolean awaitLine(String text) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            synchronized (output) {
                for (String line : output) {
                    if (line.contains(text)) {
                        return true;
                    }
                }
            }
            if (!process.isAlive()) {
                return false;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Returns what the child printed so far. */
    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            awaitExit();
        }
    }

    private void readOutput() {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.add(line);
                Matcher matcher = RUNNING.matcher(line);
                if (matcher.find()) {
                    baseUri.complete(URI.create(matcher.group(1)));
                }
            }
        } catch (IOException e) {
            // the child is gone; what it printed is kept
        } finally {
            baseUri.completeExceptionally(new IllegalStateException("the child host exited"));
        }
    }
}
