package dev.nexus.host;

import dev.nexus.host.config.ConfigException;
import dev.nexus.host.config.Settings;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts the Nexus server: reads the configuration, starts the {@link Host}, prints where it listens.
 *
 * <p>SIGTERM and SIGINT stop it gracefully at any moment, start-up included: a stop requested while
 * starting interrupts the start between two steps (what started is stopped again); once running,
 * {@link Host#close()} refuses new requests, lets turns in flight finish and waits for a model load
 * in progress. The process then exits with status 0.
 */
public final class Main {

    private static final AtomicBoolean STOP_REQUESTED = new AtomicBoolean();
    /** The started host, or empty once start-up ended without one. */
    private static final CompletableFuture<Optional<Host>> STARTED = new CompletableFuture<>();

    private Main() {}

    public static void main(String[] args) {
        if (args.length > 0) {
            System.exit(command(java.util.List.of(args)));
            return;
        }
        long started = System.nanoTime();
        boolean signals = handleStopSignals();
        Host host;
        try {
            host = Host.start(Settings.load(System.getenv()), Clock.systemUTC(), STOP_REQUESTED::get);
        } catch (Host.StartInterrupted e) {
            System.out.println("nexus: " + e.getMessage());
            STARTED.complete(Optional.empty());
            return; // the stop signal's thread exits the process
        } catch (ConfigException e) {
            STARTED.complete(Optional.empty());
            System.err.println("nexus: " + e.getMessage());
            System.exit(2);
            return;
        } catch (NexusException | IllegalStateException e) {
            STARTED.complete(Optional.empty());
            System.err.println("nexus: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        STARTED.complete(Optional.of(host));
        if (!signals) {
            Runtime.getRuntime()
                    .addShutdownHook(Thread.ofPlatform().name("nexus-shutdown").unstarted(host::close));
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println();
        System.out.println("  Nexus is running at " + host.baseUri() + "   (started in " + millis + " ms)");
        System.out.println("  Console: " + host.baseUri() + "/console   (sign in with an API key)");
        System.out.println("  Health:  " + host.baseUri() + "/health");
        host.generatedAdminKey().ifPresent(key -> {
            System.out.println("  Admin API key (shown once; store it now):");
            System.out.println("    " + key);
            System.out.println("  Try:  curl -H 'Authorization: Bearer " + key + "' " + host.baseUri() + "/v1/plugins");
        });
        System.out.println("  Data directory: " + host.dataDir());
        System.out.println();
    }

    /**
     * {@code backup <file>}, {@code restore <file>} (of the configured database; see
     * {@link dev.nexus.host.db.Backups}) and {@code memory …} (against a running host; see
     * {@link dev.nexus.host.ops.MemoryCli}). Returns the exit status.
     */
    private static int command(java.util.List<String> args) {
        java.util.Map<String, String> env = System.getenv();
        switch (args.get(0)) {
            case "memory" -> {
                return dev.nexus.host.ops.MemoryCli.run(
                        args.subList(1, args.size()),
                        env.getOrDefault("NEXUS_URL", "http://127.0.0.1:8080"),
                        env.getOrDefault("NEXUS_KEY", env.getOrDefault("NEXUS_ADMIN_KEY", "")),
                        System.out,
                        System.err);
            }
            case "backup", "restore" -> {
                if (args.size() != 2) {
                    System.err.println("usage: ./nexus " + args.get(0) + " <file>");
                    return 2;
                }
                try {
                    Settings settings = Settings.load(env);
                    var server = settings.section("server", dev.nexus.host.http.ServerConfig.class);
                    var database = settings.section("database", dev.nexus.host.db.DatabaseConfig.class);
                    java.nio.file.Path dataDir =
                            java.nio.file.Path.of(server.dataDir()).toAbsolutePath();
                    java.nio.file.Path file = java.nio.file.Path.of(args.get(1));
                    var outcome = args.get(0).equals("backup")
                            ? dev.nexus.host.db.Backups.backup(database, dataDir, file)
                            : dev.nexus.host.db.Backups.restore(database, dataDir, file);
                    System.out.println("nexus: " + (args.get(0).equals("backup") ? "backed up" : "restored") + " the "
                            + outcome.kind().name().toLowerCase(java.util.Locale.ROOT) + " database "
                            + (args.get(0).equals("backup") ? "to " : "from ") + outcome.file() + " (" + outcome.bytes()
                            + " bytes, " + outcome.how() + ")");
                    return 0;
                } catch (ConfigException e) {
                    System.err.println("nexus: " + e.getMessage());
                    return 2;
                } catch (NexusException e) {
                    System.err.println("nexus " + args.get(0) + ": " + e.getMessage());
                    return 1;
                }
            }
            default -> {
                System.err.println("nexus: unknown command '" + args.get(0)
                        + "'; commands: backup <file>, restore <file>, memory …" + " (or none, to run the server)");
                return 2;
            }
        }
    }

    /**
     * Handles SIGTERM and SIGINT ourselves rather than in a shutdown hook: the stop must be able to
     * interrupt start-up and wait for it, and a graceful stop is a successful exit (status 0, not
     * 143). Returns false where the JVM does not let us (e.g. {@code -Xrs}); a shutdown hook is used then.
     */
    private static boolean handleStopSignals() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> stop());
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> stop());
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            return false;
        }
    }

    private static void stop() {
        if (!STOP_REQUESTED.compareAndSet(false, true)) {
            return; // a second signal while stopping changes nothing; kill -9 is there for the impatient
        }
        // Not a daemon: the JVM must not exit under it once the HTTP server's threads are gone.
        Thread.ofPlatform().daemon(false).name("nexus-shutdown").start(() -> {
            try {
                // Start-up notices the request at its next step; a started host stops gracefully.
                STARTED.get(5, TimeUnit.MINUTES).ifPresent(Host::close);
            } catch (Exception e) {
                System.err.println("nexus: stopping failed: " + e);
            }
            System.out.println("nexus: stopped");
            System.exit(0);
        });
    }
}
