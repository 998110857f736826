package dev.nexus.host.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The one port through which the host's features share state with other hosts on the same database:
 * notices that a cached row changed (published after commit, delivered on every other host), a
 * resync when notices may have been missed, scheduled jobs that run once per cluster, and the member
 * list. On PostgreSQL it is {@code LISTEN/NOTIFY} plus {@code SKIP LOCKED} leases
 * ({@link PostgresCluster}); on H2, which is single-host, it is {@link SingleHost}: notices go
 * nowhere and jobs run on this host's timer. Thread-safe.
 */
public interface Cluster extends AutoCloseable {

    /** A host as it last reported itself alive. Immutable. */
    record Member(String hostId, String address, Instant seenAt) {}

    /** Returns this host's id (stable across restarts of the same data directory). */
    String hostId();

    /** Returns true when other hosts may share the database (PostgreSQL). */
    boolean shared();

    /**
     * Tells the other hosts about a change on {@code topic} (a short word such as {@code personality});
     * {@code data} is small (an id), at most a few kilobytes. Call it after the change committed.
     * Never delivered back to this host. Never throws: a lost notice is healed by the next resync.
     */
    void publish(String topic, String data);

    /** Calls {@code listener} with the data of every notice on {@code topic} from another host. */
    void subscribe(String topic, Consumer<String> listener);

    /**
     * Calls {@code reload} whenever notices may have been missed (the listening connection was lost
     * and is back): the caches reload everything they mirror.
     */
    void onResync(Runnable reload);

    /**
     * Runs {@code work} every {@code every}, once per cluster: the first host to claim a due run
     * holds it by a lease while it runs; if that host dies, another runs the same run after the
     * lease expired. Jobs must therefore tolerate being run again after a crash (at least once).
     */
    void schedule(String job, Duration every, Runnable work);

    /** Returns the hosts seen alive recently (this one included). */
    List<Member> members();

    /** Starts listening for notices and running jobs; call it before the caches load, so no notice falls between. */
    void start();

    /** Tells the other hosts this one is alive at {@code address} (shown in the member list); call it once listening. */
    void announce(String address);

    /** Stops listening and jobs, releasing the leases this host holds so another host takes them at once. */
    @Override
    void close();
}
