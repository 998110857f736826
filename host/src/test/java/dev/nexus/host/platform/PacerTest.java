package dev.nexus.host.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.platform.RateLimit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PacerTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void reserve_allowsABurstOfTheLimit_thenSpacesSendsEvenly() {
        Pacer pacer = new Pacer(new RateLimit(2, Duration.ofSeconds(1)), 0);

        assertThat(pacer.reserve(0)).isZero();
        assertThat(pacer.reserve(0)).isZero();
        assertThat(pacer.reserve(0)).isEqualTo(SECOND / 2);
        assertThat(pacer.reserve(SECOND / 2)).isEqualTo(SECOND / 2);
    }

    @Test
    void reserve_afterAQuietPeriod_refillsButNeverBeyondTheLimit() {
        Pacer pacer = new Pacer(RateLimit.perSecond(3), 0);
        for (int i = 0; i < 3; i++) {
            pacer.reserve(0);
        }

        long later = 60 * SECOND;
        assertThat(pacer.reserve(later)).isZero();
        assertThat(pacer.reserve(later)).isZero();
        assertThat(pacer.reserve(later)).isZero();
        assertThat(pacer.reserve(later)).isEqualTo(SECOND / 3 + 1);
    }
}
