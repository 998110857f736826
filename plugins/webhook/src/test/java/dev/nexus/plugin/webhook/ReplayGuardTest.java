package dev.nexus.plugin.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void lookup_remembersUntilTheEndOfTheWindow() {
        ReplayGuard guard = new ReplayGuard(100);
        guard.remember("evt", "msg-1", T0.plusSeconds(300), T0);

        assertThat(guard.lookup("evt", T0.plusSeconds(299))).contains("msg-1");
        assertThat(guard.lookup("evt", T0.plusSeconds(300))).isEmpty();
        assertThat(guard.lookup("other", T0)).isEmpty();
    }

    @Test
    void remember_dropsExpiredIdsAndRefusesWhenFullOfLiveOnes() {
        ReplayGuard guard = new ReplayGuard(100);
        for (int i = 0; i < 100; i++) {
            assertThat(guard.remember("evt-" + i, "m", T0.plusSeconds(10 + i), T0)).isTrue();
        }

        assertThat(guard.remember("one-more", "m", T0.plusSeconds(500), T0)).isFalse();
        assertThat(guard.remember("later", "m", T0.plusSeconds(500), T0.plusSeconds(60))).isTrue();
        assertThat(guard.size()).as("49 live ids plus the new one").isEqualTo(50);
    }
}
