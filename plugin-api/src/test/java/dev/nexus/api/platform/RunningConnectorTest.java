package dev.nexus.api.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.api.ConfigReader;
import dev.nexus.api.PluginContext;
import dev.nexus.api.testing.FakePluginContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RunningConnectorTest {

    /** A connector whose running state is its per-second rate and a list of what it closed. */
    static final class Chat extends RunningConnector<Chat.Running> {
        record Running(int perSecond) {}

        final List<Running> closed = new CopyOnWriteArrayList<>();

        Chat() {
            super("chat", RateLimit.perSecond(1));
        }

        @Override
        protected Running open(PluginContext context) {
            ConfigReader read = new ConfigReader("chat", context.config());
            int perSecond = (int) read.integer("rate-limit-per-second", 5, 1, 50);
            read.check();
            return new Running(perSecond);
        }

        @Override
        protected RateLimit rateLimit(Running running) {
            return RateLimit.perSecond(running.perSecond());
        }

        @Override
        protected DeliveryResult send(Running running, OutboundMessage message) {
            return new DeliveryResult.Delivered("sent-" + message.messageId());
        }

        @Override
        protected Optional<ConnectorHealth> health(Running running) {
            return Optional.of(
                    new ConnectorHealth(ConnectorHealth.State.CONNECTED, Optional.empty(), java.time.Instant.EPOCH));
        }

        @Override
        protected void close(Running running) {
            closed.add(running);
        }

        @Override
        public Optional<HttpReply> handle(HttpInbound request) {
            return Optional.of(
                    running().map(r -> HttpReply.json(200, Map.of("ok", true))).orElseGet(this::notRunning));
        }
    }

    private static OutboundMessage message(String id) {
        return new OutboundMessage(id, "in-" + id, "c", "p", "hello", Map.of(), 1);
    }

    private static final HttpInbound REQUEST =
            new HttpInbound("POST", "/", Map.of(), "{}".getBytes(StandardCharsets.UTF_8));

    @Test
    void beforeStart_announcesTheUsualRateLimit_andIsNotRunning() {
        Chat chat = new Chat();

        assertThat(chat.platform()).isEqualTo("chat");
        assertThat(chat.rateLimit()).isEqualTo(RateLimit.perSecond(1));
        assertThat(chat.send(message("m1"))).isEqualTo(new DeliveryResult.Failed("the chat connector is not running"));
        assertThat(chat.health()).isEmpty();
        assertThat(chat.handle(REQUEST).orElseThrow().status()).isEqualTo(503);
    }

    @Test
    void whileRunning_usesWhatOpenBuilt() {
        Chat chat = new Chat();
        chat.start(FakePluginContext.builder("chat")
                .config(Map.of("rate-limit-per-second", 7))
                .build());

        assertThat(chat.rateLimit()).isEqualTo(RateLimit.perSecond(7));
        assertThat(chat.send(message("m1"))).isEqualTo(new DeliveryResult.Delivered("sent-m1"));
        assertThat(chat.health()).map(ConnectorHealth::state).contains(ConnectorHealth.State.CONNECTED);
        assertThat(chat.handle(REQUEST).orElseThrow().status()).isEqualTo(200);
    }

    @Test
    void stop_closesWhatRanOnce_andIsSafeWithoutStart() {
        Chat never = new Chat();
        never.stop();
        assertThat(never.closed).isEmpty();

        Chat chat = new Chat();
        chat.start(FakePluginContext.builder("chat").build());
        chat.stop();
        chat.stop();

        assertThat(chat.closed).containsExactly(new Chat.Running(5));
        assertThat(chat.send(message("m2"))).isEqualTo(new DeliveryResult.Failed("the chat connector is not running"));
        assertThat(chat.rateLimit()).isEqualTo(RateLimit.perSecond(1));
        assertThat(chat.handle(REQUEST).orElseThrow().status()).isEqualTo(503);
    }

    @Test
    void start_withABadConfiguration_throwsTheReadersMessage_andStaysStopped() {
        Chat chat = new Chat();

        assertThatThrownBy(() -> chat.start(FakePluginContext.builder("chat")
                        .config(Map.of("rate-limit-per-second", 0))
                        .build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("chat config 'rate-limit-per-second' must be between 1 and 50, got 0");
        assertThat(chat.send(message("m3"))).isInstanceOf(DeliveryResult.Failed.class);
    }
}
