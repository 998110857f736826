package dev.nexus.host.cluster;

import dev.nexus.host.db.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Opens the {@link Cluster} the database calls for. */
public final class Clusters {

    private Clusters() {}

    /**
     * Returns the cluster for {@code database}: shared on PostgreSQL, this host alone on H2. The host's
     * id is kept in {@code dataDir/host-id}, so a restarted host is the same member.
     */
    public static Cluster open(Database database, Path dataDir, Clock clock, ClusterConfig config) {
        String hostId = hostId(dataDir);
        Cluster cluster = database.kind() == Database.Kind.POSTGRESQL
                ? new PostgresCluster(hostId, database, clock, Duration.ofSeconds(config.leaseSeconds()))
                : new SingleHost(hostId, clock);
        if (config.probeMillis() > 0) {
            cluster.schedule("probe", Duration.ofSeconds(config.probeEverySeconds()), () -> {
                try {
                    Thread.sleep(config.probeMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("the probe was interrupted", e);
                }
            });
        }
        return cluster;
    }

    private static String hostId(Path dataDir) {
        Path file = dataDir.resolve("host-id");
        try {
            if (Files.exists(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (id.matches("[a-z0-9-]{4,64}")) {
                    return id;
                }
            }
            byte[] random = new byte[8];
            ThreadLocalRandom.current().nextBytes(random);
            String id = "host-" + HexFormat.of().formatHex(random);
            Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read or write " + file + "; check that the data directory is writable", e);
        }
    }
}
