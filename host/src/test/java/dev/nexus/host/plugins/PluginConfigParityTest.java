package dev.nexus.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.PluginConfig;
import dev.nexus.api.testing.FakePluginContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A plugin that passes its contract test against {@link FakePluginContext} must read its
 * configuration the same way in the host: nested maps, dotted keys, boolean letter case, {@code 3.0}
 * as an integer and every error message agree.
 */
class PluginConfigParityTest {

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private static final Map<String, Object> SECTION = section();

    private static Map<String, Object> section() {
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("callback", Map.of("url", "http://127.0.0.1/r", "retries", 3.0, "nested", Map.of("deep", true)));
        section.put("flat.key", "flat wins");
        section.put("flat", Map.of("key", "nested loses"));
        section.put("loud", "TRUE");
        section.put("quiet", "False");
        section.put("maybe", "yes");
        section.put("whole", 3.0);
        section.put("half", 3.5);
        section.put("digits", " 42 ");
        section.put("big", new java.math.BigInteger("12345678901"));
        section.put("hosts", List.of("a.example", "b.example"));
        section.put("one-host", "c.example");
        section.put("mixed", List.of("ok", Map.of("not", "text")));
        return section;
    }

    @Test
    void hostAndFakeConfig_answerEveryQueryTheSame() {
        PluginConfig host = new HostPluginContext(
                        "parity",
                        SECTION,
                        Map.of(),
                        name -> java.util.Optional.empty(),
                        Clock.systemUTC(),
                        executor,
                        new RecordingSink(),
                        new dev.nexus.api.testing.MemoryPluginStore(Clock.systemUTC()))
                .config();
        PluginConfig fake =
                FakePluginContext.builder("parity").config(SECTION).build().config();

        List<String> keys = List.of(
                "callback.url",
                "callback.retries",
                "callback.nested.deep",
                "callback",
                "callback.nested",
                "flat.key",
                "loud",
                "quiet",
                "maybe",
                "whole",
                "half",
                "digits",
                "big",
                "hosts",
                "one-host",
                "mixed",
                "absent",
                "callback.absent");
        for (String key : keys) {
            assertThat(outcome(host, c -> c.string(key)))
                    .as("string(%s)", key)
                    .isEqualTo(outcome(fake, c -> c.string(key)));
            assertThat(outcome(host, c -> c.integer(key, -1)))
                    .as("integer(%s)", key)
                    .isEqualTo(outcome(fake, c -> c.integer(key, -1)));
            assertThat(outcome(host, c -> c.flag(key, false)))
                    .as("flag(%s)", key)
                    .isEqualTo(outcome(fake, c -> c.flag(key, false)));
            assertThat(outcome(host, c -> c.strings(key)))
                    .as("strings(%s)", key)
                    .isEqualTo(outcome(fake, c -> c.strings(key)));
        }
        assertThat(host.asMap()).isEqualTo(fake.asMap());
    }

    @Test
    void sharedRules_readNestedDottedCaseAndWholeNumbersOneWay() {
        PluginConfig config = PluginConfig.of(SECTION);

        assertThat(config.string("callback.url")).hasValue("http://127.0.0.1/r");
        assertThat(config.string("flat.key")).hasValue("flat wins");
        assertThat(config.integer("callback.retries", 0)).isEqualTo(3);
        assertThat(config.integer("whole", 0)).isEqualTo(3);
        assertThat(config.integer("digits", 0)).isEqualTo(42);
        assertThat(config.integer("big", 0)).isEqualTo(12_345_678_901L);
        assertThat(config.flag("loud", false)).isTrue();
        assertThat(config.flag("quiet", true)).isFalse();
        assertThat(config.flag("callback.nested.deep", false)).isTrue();
        assertThat(config.strings("one-host")).containsExactly("c.example");
        assertThat(outcome(config, c -> c.integer("half", 0)))
                .isEqualTo("IllegalArgumentException: plugin config 'half' must be an integer, got '3.5'");
        assertThat(outcome(config, c -> c.flag("maybe", false)))
                .isEqualTo("IllegalArgumentException: plugin config 'maybe' must be true or false, got 'yes'");
        assertThat(outcome(config, c -> c.string("callback")))
                .isEqualTo("IllegalArgumentException: plugin config 'callback' is a map, expected text");
        assertThat(outcome(config, c -> c.strings("mixed"))).asString().contains("must be a list of texts");
    }

    private static Object outcome(PluginConfig config, Function<PluginConfig, Object> query) {
        try {
            Object value = query.apply(config);
            return value instanceof List<?> list ? new ArrayList<>(list) : value;
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static final class RecordingSink implements dev.nexus.api.platform.InboundSink {
        @Override
        public dev.nexus.api.platform.InboundResult deliver(dev.nexus.api.platform.InboundMessage message) {
            return new dev.nexus.api.platform.InboundResult.Rejected("not in this test");
        }
    }
}
