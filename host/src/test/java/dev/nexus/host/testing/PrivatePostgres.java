package dev.nexus.host.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A PostgreSQL server of one test's own (a fresh cluster started with {@code .ci/postgres.sh}), for
 * tests that stop and restart the server itself: the shared test server must stay up for everyone
 * else. Needs the PostgreSQL server binaries ({@code ./nexus test} installs them). Close it to stop
 * the server and delete the cluster.
 */
public final class PrivatePostgres implements AutoCloseable {

    private static final Path SCRIPT =
            Path.of("..", ".ci", "postgres.sh").toAbsolutePath().normalize();

    private final int port;
    private final String dir;

    private PrivatePostgres(int port, String dir) {
        this.port = port;
        this.dir = dir;
    }

    /** Returns true when the PostgreSQL server binaries are installed here. */
    public static boolean available() {
        return Files.isRegularFile(SCRIPT) && run("nexus_pg_bindir").strip().length() > 0;
    }

    /** Initialises and starts a cluster on a free port. */
    public static PrivatePostgres start() {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String dir = run("NEXUS_PG_PORT=" + port + " nexus_postgres_start >&2 && echo \"$NEXUS_PG_DIR\"")
                .strip();
        return new PrivatePostgres(port, dir);
    }

    /** Returns the JDBC URL of the cluster's {@code postgres} database (trust authentication). */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=nexus";
    }

    /** Stops the server (fast shutdown: connections are ended), keeping the cluster. */
    public void stop() {
        run(env() + " nexus_postgres_pause");
    }

    /** Starts the stopped server again on the same port and data. */
    public void resume() {
        run(env() + " nexus_postgres_resume");
    }

    @Override
    public void close() {
        run(env() + " nexus_postgres_stop");
    }

    private String env() {
        return "NEXUS_PG_PORT=" + port + " NEXUS_PG_DIR=" + dir;
    }

    private static String run(String commands) {
        try {
            Process process = new ProcessBuilder(List.of("bash", "-c", "set -e; source '" + SCRIPT + "'; " + commands))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(
                        "'" + commands + "' failed (exit " + process.exitValue() + ") using " + SCRIPT);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
