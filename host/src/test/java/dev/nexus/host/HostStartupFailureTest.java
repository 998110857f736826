package dev.nexus.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.db.Database;
import dev.nexus.host.testing.TestHost;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A host that fails part-way through starting stops what it had started: on PostgreSQL that includes
 * the connection pool and the cluster's listener, timer and notice threads, opened long before the port.
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class HostStartupFailureTest {

    /** The backend this invocation runs on. */
    @Parameter
    Database.Kind database;

    private static java.util.Set<Thread> nexusThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("nexus-memory-")
                        || t.getName().startsWith("nexus-plugin-scheduler-")
                        || t.getName().startsWith("nexus-cluster-")
                        || t.getName().startsWith("nexus-db"))
                .collect(java.util.stream.Collectors.toSet());
    }

    /** The host's threads started since {@code before} that are still alive: other tests' threads do not count. */
    private static java.util.Set<Thread> startedSince(java.util.Set<Thread> before) {
        java.util.Set<Thread> now = nexusThreads();
        now.removeAll(before);
        return now;
    }

    @Test
    void start_whenThePortIsTaken_failsNamingItAndLeavesNoComponentRunning() throws Exception {
        java.util.Set<Thread> before = nexusThreads();
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> TestHost.builder()
                            .database(database)
                            .env("NEXUS_PORT", Integer.toString(taken.getLocalPort()))
                            .start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("NEXUS_PORT");
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!startedSince(before).isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(startedSince(before))
                .extracting(Thread::getName)
                .as("threads the failed start left running")
                .isEmpty();
    }
}
