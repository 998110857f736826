package dev.nexus.host.cluster;

import dev.nexus.host.db.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several hosts on one PostgreSQL. Notices travel by {@code NOTIFY nexus_cluster} (sent through the
 * pool, after the change committed) and arrive on one dedicated connection that {@code LISTEN}s; when
 * that connection fails it is opened again and every cache is resynced (reloaded in full), since
 * notices sent meanwhile are lost. Jobs are claimed with {@code SELECT ... FOR UPDATE SKIP LOCKED} on
 * {@code cluster_jobs} and held by a lease renewed while they run. Members heartbeat into
 * {@code cluster_members}. Thread-safe.
 */
final class PostgresCluster implements Cluster {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresCluster.class);
    private static final char SEPARATOR = '|';

    private final String hostId;
    private final Database database;
    private final ClusterRepository repository;
    private final Clock clock;
    private final Duration lease;
    private final Instant startedAt;
    private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
    private final List<Runnable> resyncs = new CopyOnWriteArrayList<>();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final ExecutorService deliveries = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("nexus-cluster-notices").daemon(true).factory());
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(
            1, Thread.ofPlatform().name("nexus-cluster-timer").daemon(true).factory());
    private final ExecutorService jobs = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean open = true;
    private volatile String address = "";
    private volatile Connection listening;
    private Thread listener;

    PostgresCluster(String hostId, Database database, Clock clock, Duration lease) {
        this.hostId = hostId;
        this.database = database;
        this.repository = new ClusterRepository(database);
        this.clock = clock;
        this.lease = lease;
        this.startedAt = clock.instant();
    }

    @Override
    public String hostId() {
        return hostId;
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public void publish(String topic, String data) {
        try {
            repository.notice(hostId + SEPARATOR + topic + SEPARATOR + data);
        } catch (RuntimeException e) {
            LOG.debug("notice {} {} not sent: {}", topic, data, e.toString());
        }
    }

    @Override
    public void subscribe(String topic, Consumer<String> listener) {
        listeners.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(listener);
    }

    @Override
    public void onResync(Runnable reload) {
        resyncs.add(reload);
    }

    @Override
    public synchronized void start() {
        if (listener != null) {
            return;
        }
        // The first LISTEN happens before start() returns: changes made after it are all heard.
        boolean first = connect();
        listener =
                Thread.ofPlatform().name("nexus-cluster-listener").daemon(true).start(() -> listen(first));
        timer.scheduleWithFixedDelay(this::heartbeat, 0, 5, TimeUnit.SECONDS);
        LOG.info(
                "cluster: host {} shares PostgreSQL with the hosts it finds there (caches, events and jobs are shared)",
                hostId);
    }

    @Override
    public void announce(String address) {
        this.address = address;
        timer.execute(this::heartbeat);
    }

    private boolean connect() {
        try {
            Connection connection = database.dedicatedConnection();
            try (Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + ClusterRepository.CHANNEL);
            }
            listening = connection;
            return true;
        } catch (SQLException | RuntimeException e) {
            LOG.warn("cluster: cannot listen for other hosts' changes ({}); retrying", e.getMessage());
            return false;
        }
    }

    private void listen(boolean connected) {
        long backoff = 250;
        long lastCheck = System.nanoTime();
        while (open) {
            if (!connected) {
                sleep(backoff);
                backoff = Math.min(5_000, backoff * 2);
                connected = connect();
                if (connected) {
                    LOG.info("cluster: listening again; reloading every shared cache (notices may have been missed)");
                    deliveries.execute(this::resync);
                    backoff = 250;
                }
                continue;
            }
            try {
                PGNotification[] notices = listening.unwrap(PGConnection.class).getNotifications(500);
                if (notices != null) {
                    for (PGNotification notice : notices) {
                        deliver(notice.getParameter());
                    }
                }
                // A peer that vanished without closing the socket is only noticed by talking to it.
                if (System.nanoTime() - lastCheck > TimeUnit.SECONDS.toNanos(5)) {
                    lastCheck = System.nanoTime();
                    try (Statement statement = listening.createStatement()) {
                        statement.setQueryTimeout(5);
                        statement.execute("SELECT 1");
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (open) {
                    LOG.warn("cluster: the listening connection failed ({}); reconnecting", e.getMessage());
                }
                closeQuietly(listening);
                connected = false;
            }
        }
        closeQuietly(listening);
    }

    private void deliver(String payload) {
        int first = payload.indexOf(SEPARATOR);
        int second = first < 0 ? -1 : payload.indexOf(SEPARATOR, first + 1);
        if (second < 0) {
            return;
        }
        if (payload.substring(0, first).equals(hostId)) {
            return; // our own notice: this host applied the change already
        }
        String topic = payload.substring(first + 1, second);
        String data = payload.substring(second + 1);
        List<Consumer<String>> subscribed = listeners.getOrDefault(topic, List.of());
        deliveries.execute(() -> subscribed.forEach(listener -> {
            try {
                listener.accept(data);
            } catch (RuntimeException e) {
                LOG.warn(
                        "cluster: applying a {} notice ({}) failed; the next resync heals it: {}",
                        topic,
                        data,
                        e.toString());
            }
        }));
    }

    private void resync() {
        for (Runnable reload : resyncs) {
            try {
                reload.run();
            } catch (RuntimeException e) {
                LOG.warn("cluster: a resync failed: {}", e.toString());
            }
        }
    }

    @Override
    public void schedule(String job, Duration every, Runnable work) {
        timer.execute(() -> {
            try {
                repository.ensureJob(job, clock.instant());
            } catch (RuntimeException e) {
                LOG.warn("cluster: job {} not registered yet: {}", job, e.toString());
            }
        });
        timer.scheduleWithFixedDelay(() -> tryRun(job, every, work), 1, 1, TimeUnit.SECONDS);
    }

    private void tryRun(String job, Duration every, Runnable work) {
        if (!open || running.contains(job)) {
            return;
        }
        Instant now = clock.instant();
        java.util.Optional<Long> claimed;
        try {
            repository.ensureJob(job, now);
            claimed = repository.claim(job, hostId, now, now.plus(lease));
        } catch (RuntimeException e) {
            LOG.debug("cluster: job {} not claimed: {}", job, e.toString());
            return;
        }
        if (claimed.isEmpty()) {
            return;
        }
        long runNo = claimed.get();
        running.add(job);
        jobs.execute(() -> {
            var renewing = timer.scheduleWithFixedDelay(
                    () -> {
                        try {
                            repository.renew(job, hostId, clock.instant().plus(lease));
                        } catch (RuntimeException e) {
                            LOG.debug("cluster: lease of {} not renewed: {}", job, e.toString());
                        }
                    },
                    lease.toMillis() / 3,
                    lease.toMillis() / 3,
                    TimeUnit.MILLISECONDS);
            try {
                LOG.info("cluster: running job {} (run {})", job, runNo);
                work.run();
                renewing.cancel(false);
                Instant done = clock.instant();
                if (!repository.finish(job, runNo, hostId, done, done.plus(every))) {
                    LOG.warn(
                            "cluster: job {} run {} finished after this host lost its lease; another host may have run it too",
                            job,
                            runNo);
                }
            } catch (RuntimeException e) {
                renewing.cancel(false);
                LOG.warn(
                        "cluster: job {} run {} failed; another attempt follows when its lease expires", job, runNo, e);
            } finally {
                running.remove(job);
            }
        });
    }

    @Override
    public List<Member> members() {
        try {
            return repository.members(clock.instant().minusSeconds(20));
        } catch (RuntimeException e) {
            return List.of(new Member(hostId, address, clock.instant()));
        }
    }

    private void heartbeat() {
        try {
            repository.heartbeat(hostId, address, startedAt, clock.instant());
        } catch (RuntimeException e) {
            LOG.debug("cluster: heartbeat failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        timer.shutdownNow();
        // Jobs running here finish (bounded), then their leases are given up so another host needn't wait them out.
        jobs.shutdown();
        try {
            jobs.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            repository.releaseAll(hostId);
            repository.leave(hostId);
        } catch (RuntimeException e) {
            LOG.debug("cluster: leases not released (they expire by themselves): {}", e.toString());
        }
        deliveries.shutdownNow();
        Thread thread = listener;
        if (thread != null) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
