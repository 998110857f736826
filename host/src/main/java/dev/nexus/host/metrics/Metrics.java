package dev.nexus.host.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The host's metrics, in the Prometheus text format ({@link #scrape()}, served at {@code GET /metrics}).
 * The one place Micrometer is used: features record through this type and never see a meter.
 *
 * <p>What is recorded (every name starts with {@code nexus_}): turn latency histograms by
 * {@link Stage}, model tokens, tool calls by outcome, HTTP answers by route and status, plugin
 * failures, and gauges registered by the composition root (outbox depth, pool usage, cache hit
 * rates). Thread-safe.
 */
public final class Metrics {

    /** The stages of a turn, each with a latency histogram ({@code nexus_turn_stage_seconds{stage=…}}). */
    public enum Stage {
        /** Resolving the API key of a request. */
        AUTH,
        /** Recalling memories for the turn (the query's embedding included). */
        RECALL,
        /** One call of the embedding model (cache misses only; recall and remembering both embed). */
        EMBEDDING,
        /** Activating knowledge for the turn. */
        KNOWLEDGE,
        /** The language model, tool rounds included. */
        MODEL,
        /** Storing the user message, reading the history, storing the reply. */
        STORE,
        /** After the turn: extracting facts and remembering the episode. */
        EXTRACTION;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final Map<Stage, Timer> stages = new EnumMap<>(Stage.class);

    private Metrics(MeterRegistry registry, PrometheusMeterRegistry prometheus) {
        this.registry = registry;
        this.prometheus = prometheus;
        for (Stage stage : Stage.values()) {
            stages.put(
                    stage,
                    Timer.builder("nexus.turn.stage")
                            .description("Latency of one stage of a conversation turn")
                            .tag("stage", stage.label())
                            .publishPercentileHistogram()
                            .minimumExpectedValue(Duration.ofNanos(100_000))
                            .maximumExpectedValue(Duration.ofSeconds(60))
                            .register(registry));
        }
    }

    /** Returns metrics kept for {@link #scrape()} in the Prometheus format. */
    public static Metrics prometheus() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        return new Metrics(registry, registry);
    }

    /** Returns metrics that record nothing (for components built without the host, e.g. in tests). */
    public static Metrics none() {
        return new Metrics(new CompositeMeterRegistry(), null);
    }

    /** Records that {@code stage} took the time since {@code startNanos} (a {@link System#nanoTime()} reading). */
    public void record(Stage stage, long startNanos) {
        stages.get(stage).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    /** Runs {@code work} and records its duration under {@code stage}, whether it returns or throws. */
    public <T> T time(Stage stage, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            record(stage, start);
        }
    }

    /** Runs {@code work} and records its duration under {@code stage}, whether it returns or throws. */
    public void time(Stage stage, Runnable work) {
        long start = System.nanoTime();
        try {
            work.run();
        } finally {
            record(stage, start);
        }
    }

    /** Counts the tokens a model read and wrote for one turn. */
    public void tokens(String model, long input, long output) {
        counter(
                        "nexus.model.tokens",
                        "Tokens read and written by language models",
                        "direction",
                        "input",
                        "model",
                        model)
                .increment(input);
        counter(
                        "nexus.model.tokens",
                        "Tokens read and written by language models",
                        "direction",
                        "output",
                        "model",
                        model)
                .increment(output);
    }

    /** Counts one tool call by its outcome ({@code done}, {@code failed}, {@code awaiting_approval}). */
    public void toolCall(String outcome) {
        counter("nexus.tool.calls", "Tool calls made by models, by outcome", "outcome", outcome)
                .increment();
    }

    /** Records one HTTP answer: the route's path template (never the raw path), its method and status. */
    public void http(String method, String route, int status, long nanos) {
        Timer.builder("nexus.http.requests")
                .description("HTTP answers by route, method and status")
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Registers a gauge read at each scrape, e.g. the outbox depth or the pool's busy connections.
     * {@code value} must be cheap and must not throw (return NaN when unknown).
     */
    public void gauge(String name, String description, Supplier<Number> value, String... tags) {
        Gauge.builder(name, value, v -> {
                    Number n = v.get();
                    return n == null ? Double.NaN : n.doubleValue();
                })
                .description(description)
                .tags(tags)
                .strongReference(true)
                .register(registry);
    }

    /** Registers a gauge over {@code target}, read at each scrape. */
    public <T> void gauge(String name, String description, T target, ToDoubleFunction<T> value, String... tags) {
        Gauge.builder(name, target, value)
                .description(description)
                .tags(tags)
                .strongReference(true)
                .register(registry);
    }

    /** Returns every metric in the Prometheus text format (version 0.0.4); empty for {@link #none()}. */
    public String scrape() {
        return prometheus == null ? "" : prometheus.scrape();
    }

    /** The media type of {@link #scrape()}. */
    public static String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }

    private Counter counter(String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }
}
