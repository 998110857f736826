package dev.nexus.host.llm;

import dev.nexus.host.DependencyException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * The front door to language models: the configured default (or the offline model when none is
 * configured) and the model a personality's override asks for. Models are built once per distinct
 * provider, endpoint, model name and temperature, then reused. Thread-safe.
 */
public final class LanguageModels {

    private static final OfflineModel OFFLINE = new OfflineModel();

    private final LlmSettings settings;
    private final RetryPolicy retry;
    private final LanguageModel defaultModel;
    private final boolean fixed;
    private final Map<Providers.Target, LanguageModel> built = new ConcurrentHashMap<>();

    private LanguageModels(LlmSettings settings, RetryPolicy retry) {
        this.settings = settings;
        this.retry = retry;
        this.defaultModel =
                settings.offline() ? OFFLINE : model(defaultTarget(settings.model(), settings.temperature()));
        this.fixed = false;
    }

    private LanguageModels(LanguageModel only, LlmSettings settings) {
        this.settings = settings;
        this.retry = null;
        this.defaultModel = only;
        this.fixed = true;
    }

    /**
     * Returns the models described by {@code settings}.
     *
     * @param jitter the random source for retry backoff jitter
     */
    public static LanguageModels create(LlmSettings settings, RandomGenerator jitter) {
        Duration backoff = Duration.ofMillis(settings.backoffMillis());
        Duration maxBackoff = Duration.ofMillis(Math.min(30_000, settings.backoffMillis() * 16L));
        return new LanguageModels(
                settings,
                new RetryPolicy(settings.maxAttempts(), backoff, maxBackoff, RetryPolicy.Pause.sleeping(), jitter));
    }

    /**
     * Returns models where {@code only} answers for every personality (overrides are ignored), with
     * the budgets of {@code settings}; for tests and benchmarks that need a model of their own.
     */
    public static LanguageModels fixed(LanguageModel only, LlmSettings settings) {
        return new LanguageModels(only, settings);
    }

    /** Returns the offline model on its own, e.g. for tests and benchmarks. */
    public static LanguageModel offlineModel() {
        return OFFLINE;
    }

    /** Returns the configured default model; the offline model when none is configured. */
    public LanguageModel defaultModel() {
        return defaultModel;
    }

    /** Returns true when no remote model is configured. */
    public boolean offline() {
        return defaultModel.description().offline();
    }

    /** Returns the estimated token budget of a whole prompt. */
    public int contextTokens() {
        return settings.contextTokens();
    }

    /** Returns the token limit of a reply, kept free in the prompt budget. */
    public int replyTokens() {
        return settings.replyTokens();
    }

    /**
     * Returns the model {@code choice} (the override of {@code owner}, a personality id) asks for;
     * the default model when these models are {@link #fixed}.
     *
     * @throws DependencyException (not retriable) when the override names an unknown provider, or a
     *     public provider for which no key is configured; the message names {@code owner}
     */
    public LanguageModel chosen(String owner, ModelChoice choice) {
        if (fixed) {
            return defaultModel;
        }
        String provider = choice.provider().strip().toLowerCase(java.util.Locale.ROOT);
        if ("offline".equals(provider)) {
            return OFFLINE;
        }
        if (!LlmSettings.PROVIDERS.contains(provider)) {
            throw new DependencyException(
                    "personality '" + owner + "' asks for model provider '"
                            + dev.nexus.host.InvalidInputException.cap(provider) + "'; use one of "
                            + LlmSettings.PROVIDERS,
                    false,
                    null);
        }
        double temperature = choice.temperature().orElse(settings.temperature());
        if (provider.equals(settings.provider())) {
            String name = choice.name().isBlank() ? settings.model() : choice.name();
            return model(defaultTarget(name, temperature));
        }
        LlmSettings.Endpoint endpoint = settings.endpoints().getOrDefault(provider, new LlmSettings.Endpoint("", ""));
        if (choice.name().isBlank()) {
            throw new DependencyException(
                    "personality '" + owner + "' asks for provider '" + provider
                            + "' without a model name; add a model name to its override",
                    false,
                    null);
        }
        if (endpoint.apiKey().isEmpty() && endpoint.baseUrl().isEmpty() && !"ollama".equals(provider)) {
            throw new DependencyException(
                    "personality '" + owner + "' asks for " + provider + " model '"
                            + choice.name() + "' but no key is configured for " + provider + "; set llm.endpoints."
                            + provider
                            + ".api-key (or remove the personality's model override)",
                    false,
                    null);
        }
        return model(new Providers.Target(
                provider,
                endpoint.baseUrl(),
                endpoint.apiKey(),
                choice.name(),
                temperature,
                settings.timeout(),
                settings.replyTokens()));
    }

    private Providers.Target defaultTarget(String name, double temperature) {
        return new Providers.Target(
                settings.provider(),
                settings.baseUrl(),
                settings.apiKey(),
                name,
                temperature,
                settings.timeout(),
                settings.replyTokens());
    }

    private LanguageModel model(Providers.Target target) {
        return built.computeIfAbsent(target, t -> Providers.build(t, retry));
    }
}
