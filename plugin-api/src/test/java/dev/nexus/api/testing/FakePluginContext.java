package dev.nexus.api.testing;

import dev.nexus.api.PluginContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link PluginContext} for plugin tests: configuration and secrets from maps, a clock that moves
 * only when told ({@link MutableClock}), an inbound sink that records what a connector delivers
 * ({@link RecordingInboundSink}), a scheduler that runs tasks on demand ({@link ManualScheduler}) and a
 * key-value store in memory with the host's limits, expiring by that clock ({@link MemoryPluginStore}).
 *
 * <pre>{@code
 * FakePluginContext context = FakePluginContext.builder("webhook")
 *         .config(Map.of("callback-url", "http://127.0.0.1:8080/replies"))
 *         .secret("signing-key", "0123456789abcdef0123456789abcdef")
 *         .build();
 * connector.start(context);
 * context.clock().advance(Duration.ofMinutes(10));
 * assertThat(context.inbound().messages()).hasSize(1);
 * }</pre>
 *
 * <p>Thread-safe, like the host's context.
 */
public final class FakePluginContext implements PluginContext {

    /** Where the clock of a new context stands unless the builder says otherwise. */
    public static final Instant DEFAULT_START = Instant.parse("2025-01-01T00:00:00Z");

    private final String pluginId;
    private final MapPluginConfig config;
    private final Map<String, String> secrets;
    private final MutableClock clock;
    private final RecordingInboundSink inbound;
    private final ManualScheduler scheduler;
    private final MemoryPluginStore store;

    private FakePluginContext(Builder builder) {
        this.pluginId = builder.pluginId;
        this.config = new MapPluginConfig(builder.config);
        this.secrets = Map.copyOf(builder.secrets);
        this.clock = new MutableClock(builder.start);
        this.inbound = new RecordingInboundSink();
        this.scheduler = new ManualScheduler(clock);
        this.store = new MemoryPluginStore(clock);
    }

    /** Returns a context for {@code pluginId} with no configuration and no secrets. */
    public static FakePluginContext of(String pluginId) {
        return builder(pluginId).build();
    }

    /** Starts building a context for {@code pluginId}. */
    public static Builder builder(String pluginId) {
        return new Builder(pluginId);
    }

    @Override
    public String pluginId() {
        return pluginId;
    }

    @Override
    public MapPluginConfig config() {
        return config;
    }

    @Override
    public Optional<String> secret(String name) {
        return Optional.ofNullable(secrets.get(name));
    }

    @Override
    public MutableClock clock() {
        return clock;
    }

    @Override
    public String loggerName() {
        return "nexus.plugin." + pluginId;
    }

    @Override
    public ManualScheduler scheduler() {
        return scheduler;
    }

    @Override
    public RecordingInboundSink inbound() {
        return inbound;
    }

    @Override
    public MemoryPluginStore store() {
        return store;
    }

    /** Builds a {@link FakePluginContext}; not thread-safe. */
    public static final class Builder {
        private final String pluginId;
        private final Map<String, Object> config = new LinkedHashMap<>();
        private final Map<String, String> secrets = new LinkedHashMap<>();
        private Instant start = DEFAULT_START;

        private Builder(String pluginId) {
            this.pluginId = Objects.requireNonNull(pluginId, "pluginId");
        }

        /** Adds every entry of {@code section} to the plugin's configuration (nested maps allowed). */
        public Builder config(Map<String, ?> section) {
            config.putAll(section);
            return this;
        }

        /** Sets one configuration key. */
        public Builder config(String key, Object value) {
            config.put(key, value);
            return this;
        }

        /** Sets one secret. */
        public Builder secret(String name, String value) {
            secrets.put(name, value);
            return this;
        }

        /** Sets where the clock starts. */
        public Builder startingAt(Instant instant) {
            this.start = Objects.requireNonNull(instant, "instant");
            return this;
        }

        /** Returns the context. */
        public FakePluginContext build() {
            return new FakePluginContext(this);
        }
    }
}
