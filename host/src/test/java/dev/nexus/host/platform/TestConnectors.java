package dev.nexus.host.platform;

import dev.nexus.api.PluginConfig;
import dev.nexus.api.PluginContext;
import dev.nexus.api.PluginScheduler;
import dev.nexus.api.platform.InboundSink;
import dev.nexus.api.platform.PlatformConnector;
import dev.nexus.host.DependencyException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/** In-process connectors with plugin-like failure isolation, for platform tests. Thread-safe. */
final class TestConnectors implements Connectors {

    /** A feedback port for tests that do not exercise reactions: every reaction fails loudly. */
    static final ReactionFeedback NO_REACTIONS = reaction -> {
        throw new IllegalStateException("this test takes no reactions");
    };

    private final List<Connector> connectors = new ArrayList<>();
    private final Set<String> failed = ConcurrentHashMap.newKeySet();
    private final AtomicReference<InboundSink> sink = new AtomicReference<>();

    /**
     * Adds a connector as if plugin {@code pluginId} contributed it, starting it with its context the
     * way the plugin runtime does (a connector whose start throws is marked failed).
     */
    TestConnectors add(String pluginId, PlatformConnector connector) {
        Connector added = new Connector(pluginId, connector, new Context(pluginId));
        connectors.add(added);
        try {
            connector.start(added.context());
        } catch (RuntimeException e) {
            fail(added, "start", e);
        }
        return this;
    }

    /** Sets the host sink the contexts hand out. */
    void sink(InboundSink value) {
        sink.set(value);
    }

    /** Returns the ids of plugins marked failed. */
    Set<String> failed() {
        return Set.copyOf(failed);
    }

    @Override
    public List<Connector> all() {
        return connectors.stream().filter(c -> !failed.contains(c.pluginId())).toList();
    }

    @Override
    public <R> R call(Connector connector, String operation, Function<PlatformConnector, R> call) {
        try {
            return call.apply(connector.connector());
        } catch (RuntimeException e) {
            fail(connector, operation, e);
            throw new DependencyException(
                    "plugin '" + connector.pluginId() + "' failed during " + operation + ": " + e, false, e);
        }
    }

    @Override
    public void fail(Connector connector, String operation, Throwable why) {
        failed.add(connector.pluginId());
    }

    private final class Context implements PluginContext {
        private final String pluginId;
        private final dev.nexus.api.PluginStore store = new dev.nexus.api.testing.MemoryPluginStore(Clock.systemUTC());

        Context(String pluginId) {
            this.pluginId = pluginId;
        }

        @Override
        public String pluginId() {
            return pluginId;
        }

        @Override
        public PluginConfig config() {
            return new PluginConfig() {
                @Override
                public Optional<String> string(String key) {
                    return Optional.empty();
                }

                @Override
                public long integer(String key, long fallback) {
                    return fallback;
                }

                @Override
                public boolean flag(String key, boolean fallback) {
                    return fallback;
                }

                @Override
                public List<String> strings(String key) {
                    return List.of();
                }

                @Override
                public Map<String, Object> asMap() {
                    return Map.of();
                }
            };
        }

        @Override
        public Optional<String> secret(String name) {
            return Optional.empty();
        }

        @Override
        public Clock clock() {
            return Clock.systemUTC();
        }

        @Override
        public String loggerName() {
            return "nexus.plugin." + pluginId;
        }

        @Override
        public PluginScheduler scheduler() {
            throw new UnsupportedOperationException("not used by test connectors");
        }

        @Override
        public dev.nexus.api.PluginStore store() {
            return store;
        }

        @Override
        public InboundSink inbound() {
            return new InboundSink() {
                @Override
                public dev.nexus.api.platform.InboundResult deliver(dev.nexus.api.platform.InboundMessage message) {
                    return sink.get().deliver(message);
                }

                @Override
                public dev.nexus.api.platform.ReactionResult react(dev.nexus.api.platform.InboundReaction reaction) {
                    return sink.get().react(reaction);
                }
            };
        }
    }
}
