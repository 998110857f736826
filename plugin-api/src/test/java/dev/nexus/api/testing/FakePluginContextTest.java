package dev.nexus.api.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.api.platform.InboundMessage;
import dev.nexus.api.platform.InboundResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FakePluginContextTest {

    @Test
    void config_readsNestedAndFlatKeysWithTypes() {
        FakePluginContext context = FakePluginContext.builder("demo")
                .config(Map.of("callback", Map.of("url", "http://x", "timeout-ms", 250), "hosts", List.of("a", "b")))
                .config("enabled", "true")
                .build();

        assertThat(context.config().string("callback.url")).contains("http://x");
        assertThat(context.config().integer("callback.timeout-ms", 5)).isEqualTo(250);
        assertThat(context.config().integer("missing", 5)).isEqualTo(5);
        assertThat(context.config().flag("enabled", false)).isTrue();
        assertThat(context.config().strings("hosts")).containsExactly("a", "b");
        assertThat(context.config().strings("callback.url")).containsExactly("http://x");
        assertThat(context.config().string("absent")).isEmpty();
    }

    @Test
    void config_wrongTypes_areRefusedNamingTheKey() {
        FakePluginContext context = FakePluginContext.builder("demo")
                .config(Map.of("n", "ten", "f", "yes"))
                .build();

        assertThatThrownBy(() -> context.config().integer("n", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("plugin config 'n' must be an integer, got 'ten'");
        assertThatThrownBy(() -> context.config().flag("f", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("plugin config 'f' must be true or false, got 'yes'");
    }

    @Test
    void secretsAndIdentity_comeFromTheBuilder() {
        FakePluginContext context =
                FakePluginContext.builder("demo").secret("token", "s3cret").build();

        assertThat(context.secret("token")).contains("s3cret");
        assertThat(context.secret("other")).isEmpty();
        assertThat(context.pluginId()).isEqualTo("demo");
        assertThat(context.loggerName()).isEqualTo("nexus.plugin.demo");
    }

    @Test
    void clock_movesOnlyWhenTold() {
        FakePluginContext context = FakePluginContext.of("demo");

        assertThat(context.clock().instant()).isEqualTo(FakePluginContext.DEFAULT_START);
        context.clock().advance(Duration.ofMinutes(3));
        assertThat(context.clock().instant()).isEqualTo(FakePluginContext.DEFAULT_START.plusSeconds(180));
        assertThat(context.clock().withZone(java.time.ZoneId.of("Europe/Paris")).instant())
                .isEqualTo(context.clock().instant());
    }

    @Test
    void inbound_storesOnceAndAnswersDuplicatesWithTheFirstId() {
        RecordingInboundSink sink = FakePluginContext.of("demo").inbound();

        InboundResult first = sink.deliver(message("e-1"));
        InboundResult again = sink.deliver(message("e-1"));

        assertThat(first).isEqualTo(new InboundResult.Accepted("msg-1", false));
        assertThat(again).isEqualTo(new InboundResult.Accepted("msg-1", true));
        assertThat(sink.messages()).hasSize(1);
        assertThat(sink.calls()).isEqualTo(2);
    }

    @Test
    void inbound_canRejectOrFailLikeTheHost() {
        RecordingInboundSink sink = FakePluginContext.of("demo").inbound();

        sink.rejectWith("unknown personality 'p'");
        assertThat(sink.deliver(message("e-1"))).isEqualTo(new InboundResult.Rejected("unknown personality 'p'"));
        sink.failWith(new IllegalStateException("database down"));
        assertThat(sink.deliver(message("e-1")))
                .isEqualTo(new InboundResult.RetryLater(
                        Duration.ofSeconds(5), "the host cannot store messages right now; try again later"));
        sink.throwWith(new IllegalStateException("broken sink"));
        assertThatThrownBy(() -> sink.deliver(message("e-1"))).hasMessage("broken sink");
        sink.acceptAll();
        assertThat(sink.deliver(message("e-1"))).isInstanceOf(InboundResult.Accepted.class);
        assertThat(sink.messages()).hasSize(1);
    }

    @Test
    void scheduler_runsDueTasksOnDemandAndKeepsPeriodicOnes() {
        FakePluginContext context = FakePluginContext.of("demo");
        List<String> ran = new ArrayList<>();
        context.scheduler().schedule(Duration.ofSeconds(10), () -> ran.add("once"));
        context.scheduler().every(Duration.ofSeconds(5), () -> ran.add("tick"));

        assertThat(context.scheduler().runDue()).isZero();
        context.clock().advance(Duration.ofSeconds(5));
        context.scheduler().runDue();
        context.clock().advance(Duration.ofSeconds(5));
        context.scheduler().runDue();

        assertThat(ran).containsExactly("tick", "once", "tick");
        assertThat(context.scheduler().pending()).isEqualTo(1);
    }

    @Test
    void scheduler_recordsFailuresAndHonoursCancel() {
        FakePluginContext context = FakePluginContext.of("demo");
        List<String> ran = new ArrayList<>();
        context.scheduler().every(Duration.ofSeconds(1), () -> {
            throw new IllegalStateException("boom");
        });
        var cancelled = context.scheduler().schedule(Duration.ZERO, () -> ran.add("cancelled"));
        cancelled.cancel();

        context.scheduler().runAll();
        context.scheduler().runAll();

        assertThat(ran).isEmpty();
        assertThat(context.scheduler().failures())
                .hasSize(2)
                .allSatisfy(e -> assertThat(e).hasMessage("boom"));
        context.scheduler().cancelAll();
        assertThat(context.scheduler().pending()).isZero();
    }

    private static InboundMessage message(String externalId) {
        return new InboundMessage(
                "demo", externalId, "ada", "p", Optional.empty(), "hi", FakePluginContext.DEFAULT_START, Map.of());
    }
}
