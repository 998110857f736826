package dev.nexus.host;

import dev.nexus.host.config.ConfigException;
import dev.nexus.host.config.Settings;
import java.time.Clock;

/** Starts the Nexus server: reads the configuration, starts the {@link Host}, prints where it listens. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        long started = System.nanoTime();
        Host host;
        try {
            host = Host.start(Settings.load(System.getenv()), Clock.systemUTC());
        } catch (ConfigException e) {
            System.err.println("nexus: " + e.getMessage());
            System.exit(2);
            return;
        } catch (NexusException | IllegalStateException e) {
            System.err.println("nexus: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("nexus-shutdown").unstarted(host::close));
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
}
