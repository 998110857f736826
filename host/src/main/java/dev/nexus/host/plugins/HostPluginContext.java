package dev.nexus.host.plugins;

import dev.nexus.api.PluginConfig;
import dev.nexus.api.PluginContext;
import dev.nexus.api.PluginScheduler;
import dev.nexus.api.PluginStore;
import dev.nexus.api.platform.InboundSink;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One plugin's context: its own config, secrets, clock, scheduler, store and the host's inbound port. Thread-safe. */
final class HostPluginContext implements PluginContext {

    private final String pluginId;
    private final PluginConfig config;
    private final Map<String, String> secrets;
    private final Function<String, Optional<String>> stored;
    private final Clock clock;
    private final InboundSink inbound;
    private final Scheduler scheduler;
    private final PluginStore store;

    /**
     * @param secrets this plugin's secrets from the environment, by upper-case name (they win)
     * @param stored this plugin's secrets in the vault, by name (read at each call, so a value set
     *     through the API is seen at once)
     */
    HostPluginContext(
            String pluginId,
            Map<String, Object> config,
            Map<String, String> secrets,
            Function<String, Optional<String>> stored,
            Clock clock,
            ScheduledExecutorService executor,
            InboundSink inbound,
            PluginStore store) {
        this.pluginId = pluginId;
        this.config = PluginConfig.of(config);
        this.secrets = Map.copyOf(secrets);
        this.stored = stored;
        this.clock = clock;
        this.inbound = inbound;
        this.store = store;
        this.scheduler = new Scheduler(executor, LoggerFactory.getLogger(loggerName()));
    }

    @Override
    public String pluginId() {
        return pluginId;
    }

    @Override
    public PluginConfig config() {
        return config;
    }

    @Override
    public Optional<String> secret(String name) {
        Optional<String> fromEnvironment = Optional.ofNullable(
                secrets.get(name.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_')));
        return fromEnvironment.isPresent() ? fromEnvironment : stored.apply(name);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public String loggerName() {
        return "nexus.plugin." + pluginId;
    }

    @Override
    public PluginScheduler scheduler() {
        return scheduler;
    }

    @Override
    public InboundSink inbound() {
        return inbound;
    }

    @Override
    public PluginStore store() {
        return store;
    }

    /** Cancels every task this plugin scheduled. */
    void cancelAll() {
        scheduler.cancelAll();
    }

    private static final class Scheduler implements PluginScheduler {
        private final ScheduledExecutorService executor;
        private final Logger log;
        private final Set<ScheduledFuture<?>> tasks = ConcurrentHashMap.newKeySet();

        Scheduler(ScheduledExecutorService executor, Logger log) {
            this.executor = executor;
            this.log = log;
        }

        @Override
        public Task schedule(Duration delay, Runnable work) {
            ScheduledFuture<?> future = executor.schedule(guarded(work), delay.toMillis(), TimeUnit.MILLISECONDS);
            tasks.add(future);
            return () -> {
                future.cancel(false);
                tasks.remove(future);
            };
        }

        @Override
        public Task every(Duration period, Runnable work) {
            long millis = Math.max(1, period.toMillis());
            ScheduledFuture<?> future =
                    executor.scheduleAtFixedRate(guarded(work), millis, millis, TimeUnit.MILLISECONDS);
            tasks.add(future);
            return () -> {
                future.cancel(false);
                tasks.remove(future);
            };
        }

        private Runnable guarded(Runnable work) {
            return () -> {
                try {
                    work.run();
                } catch (RuntimeException | Error e) {
                    log.warn("scheduled task failed", e);
                }
            };
        }

        void cancelAll() {
            tasks.forEach(task -> task.cancel(false));
            tasks.clear();
        }
    }
}
