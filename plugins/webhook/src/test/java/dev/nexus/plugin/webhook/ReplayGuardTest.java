package dev.nexus.plugin.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.testing.MemoryPluginStore;
import dev.nexus.api.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final MemoryPluginStore store = new MemoryPluginStore(clock);

    @Test
    void lookup_remembersUntilTheEndOfTheWindow() {
        ReplayGuard guard = new ReplayGuard(store, "message");
        guard.remember("evt", "msg-1", T0.plusSeconds(300), T0);

        clock.advance(Duration.ofSeconds(299));
        assertThat(guard.lookup("evt")).contains("msg-1");
        assertThat(guard.lookup("other")).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(guard.lookup("evt")).isEmpty();
    }

    @Test
    void messagesAndReactions_areSeparateNamespacesOfOneStore() {
        ReplayGuard messages = new ReplayGuard(store, "message");
        ReplayGuard reactions = new ReplayGuard(store, "reaction");

        messages.remember("id-1", "msg-1", T0.plusSeconds(60), T0);

        assertThat(reactions.lookup("id-1")).isEmpty();
        assertThat(store.get("message:id-1")).contains("msg-1");
    }

    @Test
    void remember_whenTheStoreIsDown_saysSoInsteadOfThrowing() {
        ReplayGuard guard = new ReplayGuard(store, "message");
        store.down();

        assertThat(guard.remember("evt", "msg-1", T0.plusSeconds(60), T0)).isFalse();
    }
}
