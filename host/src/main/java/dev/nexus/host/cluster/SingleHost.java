package dev.nexus.host.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster of one host (H2): notices go nowhere, nothing needs a resync, jobs run on a local
 * timer. Thread-safe.
 */
final class SingleHost implements Cluster {

    private static final Logger LOG = LoggerFactory.getLogger(SingleHost.class);

    private final String hostId;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("nexus-jobs").daemon(true).factory());
    private volatile String address = "";

    SingleHost(String hostId, Clock clock) {
        this.hostId = hostId;
        this.clock = clock;
    }

    @Override
    public String hostId() {
        return hostId;
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public void publish(String topic, String data) {
        // one host: nobody else to tell
    }

    @Override
    public void subscribe(String topic, Consumer<String> listener) {
        // one host: no notices arrive
    }

    @Override
    public void onResync(Runnable reload) {
        // one host: nothing is ever missed
    }

    @Override
    public void schedule(String job, Duration every, Runnable work) {
        timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        work.run();
                    } catch (RuntimeException e) {
                        LOG.warn("job {} failed; it runs again in {} s", job, every.toSeconds(), e);
                    }
                },
                every.toMillis(),
                every.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public List<Member> members() {
        return List.of(new Member(hostId, address, clock.instant()));
    }

    @Override
    public void start() {
        LOG.info("single host: the embedded H2 database serves this one host; several hosts need PostgreSQL"
                + " (database.url), which shares caches, events and scheduled jobs between them");
    }

    @Override
    public void announce(String address) {
        this.address = address;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
