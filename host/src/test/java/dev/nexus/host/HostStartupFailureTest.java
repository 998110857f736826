package dev.nexus.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.testing.TestHost;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A host that fails part-way through starting stops what it had started. */
class HostStartupFailureTest {

    private static long nexusThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("nexus-memory-") || t.getName().startsWith("nexus-plugin-scheduler-"))
                .count();
    }

    @Test
    void start_whenThePortIsTaken_failsNamingItAndLeavesNoComponentRunning() throws Exception {
        long before = nexusThreads();
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> TestHost.builder().env("NEXUS_PORT", Integer.toString(taken.getLocalPort())).start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("NEXUS_PORT");
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (nexusThreads() > before && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(nexusThreads()).isEqualTo(before);
    }
}
