package dev.nexus.api.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.api.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LinkHealthTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));

    @Test
    void failures_doubleTheWaitUpToTheMaximum_andASuccessResetsIt() {
        LinkHealth health =
                new LinkHealth(clock, Duration.ofSeconds(10), ConnectorHealth.State.RECONNECTING, Optional.empty());

        assertThat(health.reconnecting("timeout")).isEqualTo(Duration.ofSeconds(1));
        assertThat(health.reconnecting("timeout")).isEqualTo(Duration.ofSeconds(2));
        assertThat(health.reconnecting("timeout")).isEqualTo(Duration.ofSeconds(4));
        assertThat(health.reconnecting("timeout")).isEqualTo(Duration.ofSeconds(8));
        assertThat(health.reconnecting("timeout")).isEqualTo(Duration.ofSeconds(10));
        health.connected();

        assertThat(health.reconnecting("timeout")).isEqualTo(Duration.ofSeconds(1));
        assertThat(health.backoff(10_000)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void states_keepTheLastErrorAndWhenTheStateBegan() {
        Instant start = clock.instant();
        LinkHealth health =
                new LinkHealth(clock, Duration.ofSeconds(60), ConnectorHealth.State.RECONNECTING, Optional.empty());
        clock.advance(Duration.ofSeconds(5));
        health.reconnecting("connection refused");
        clock.advance(Duration.ofSeconds(5));
        health.reconnecting("connection reset");

        assertThat(health.current())
                .isEqualTo(new ConnectorHealth(
                        ConnectorHealth.State.RECONNECTING, Optional.of("connection reset"), start));

        clock.advance(Duration.ofSeconds(5));
        assertThat(health.failing("401 Unauthorized: the token was revoked")).isEqualTo(Duration.ofSeconds(60));
        Instant failingSince = clock.instant();
        clock.advance(Duration.ofSeconds(5));
        health.connected();

        assertThat(health.current())
                .isEqualTo(new ConnectorHealth(
                        ConnectorHealth.State.CONNECTED,
                        Optional.of("401 Unauthorized: the token was revoked"),
                        failingSince.plusSeconds(5)));
    }

    @Test
    void aMaximumUnderOneSecond_isRefused() {
        assertThatThrownBy(() -> new LinkHealth(
                        clock, Duration.ofMillis(500), ConnectorHealth.State.CONNECTED, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backoffMax");
    }

    @Test
    void unexpected_logsTheFailureAndCountsItAsReconnecting() {
        LinkHealth health =
                new LinkHealth(clock, Duration.ofSeconds(60), ConnectorHealth.State.CONNECTED, Optional.empty());
        java.util.List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        System.Logger log = new System.Logger() {
            @Override
            public String getName() {
                return "test";
            }

            @Override
            public boolean isLoggable(Level level) {
                return true;
            }

            @Override
            public void log(Level level, java.util.ResourceBundle bundle, String msg, Throwable thrown) {
                logged.add(level + " " + msg + " " + thrown.getMessage());
            }

            @Override
            public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {
                logged.add(level + " " + format);
            }
        };

        Duration wait = health.unexpected("chat link", new IllegalStateException("x".repeat(150)), log);

        assertThat(wait).isEqualTo(Duration.ofSeconds(1));
        assertThat(health.current().state()).isEqualTo(ConnectorHealth.State.RECONNECTING);
        assertThat(health.current().lastError()).contains("unexpected failure: " + "x".repeat(100) + "…");
        assertThat(logged).containsExactly("WARNING chat link failed " + "x".repeat(150));
    }
}
