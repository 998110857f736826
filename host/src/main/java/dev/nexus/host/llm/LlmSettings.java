package dev.nexus.host.llm;

import dev.nexus.host.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code llm} configuration section: which language model answers when a personality names none.
 * Immutable; every default is stated here, once.
 *
 * <p>With nothing set the host uses its offline model. For any OpenAI-compatible server three values
 * are enough: {@code base-url}, {@code api-key} and {@code model} (the provider is then
 * {@code openai}).
 *
 * @param provider {@code openai}, {@code ollama}, {@code anthropic} or {@code offline}; empty means
 *     {@code openai} when a model or base URL is set, otherwise {@code offline}
 * @param baseUrl the server's base URL; empty means the provider's public default
 * @param apiKey the API key (from the environment: {@code NEXUS_LLM_API_KEY}); never logged
 * @param model the model name; required for every provider except {@code offline}
 * @param temperature the sampling temperature in [0, 2]
 * @param timeoutSeconds the longest wait for an answer (for a stream: for its next piece)
 * @param maxAttempts attempts per call on retriable failures (connection, timeout, 429, 5xx), at least 1
 * @param backoffMillis the pause before the first retry; it doubles per retry, with jitter
 * @param contextTokens the estimated token budget of a whole prompt
 * @param replyTokens the most tokens a reply may use (kept free in the context budget)
 * @param endpoints base URL and key per provider, for personalities whose model override names a
 *     provider other than the default one
 */
public record LlmSettings(
        String provider,
        String baseUrl,
        String apiKey,
        String model,
        Double temperature,
        Integer timeoutSeconds,
        Integer maxAttempts,
        Integer backoffMillis,
        Integer contextTokens,
        Integer replyTokens,
        Map<String, Endpoint> endpoints) {

    /** The provider names this host knows. */
    public static final List<String> PROVIDERS = List.of("openai", "ollama", "anthropic", "offline");

    /**
     * Where a provider is reached. Immutable.
     *
     * @param baseUrl the base URL; empty for the provider's public default
     * @param apiKey the key; empty when the server needs none
     */
    public record Endpoint(String baseUrl, String apiKey) {

        /** Replaces absent values with empty ones. */
        public Endpoint {
            baseUrl = baseUrl == null ? "" : baseUrl.strip();
            apiKey = apiKey == null ? "" : apiKey.strip();
        }

        @Override
        public String toString() {
            return "Endpoint[baseUrl=" + baseUrl + ", apiKey=" + (apiKey.isEmpty() ? "" : "***") + "]";
        }
    }

    /** Applies defaults and reports every problem at once. */
    public LlmSettings {
        baseUrl = baseUrl == null ? "" : baseUrl.strip();
        apiKey = apiKey == null ? "" : apiKey.strip();
        model = model == null ? "" : model.strip();
        provider = provider == null || provider.isBlank()
                ? (model.isEmpty() && baseUrl.isEmpty() ? "offline" : "openai")
                : provider.strip().toLowerCase(Locale.ROOT);
        temperature = temperature == null ? 0.7 : temperature;
        timeoutSeconds = timeoutSeconds == null ? 60 : timeoutSeconds;
        maxAttempts = maxAttempts == null ? 3 : maxAttempts;
        backoffMillis = backoffMillis == null ? 500 : backoffMillis;
        contextTokens = contextTokens == null ? 8192 : contextTokens;
        replyTokens = replyTokens == null ? 1024 : replyTokens;
        endpoints = endpoints == null ? Map.of() : Map.copyOf(new TreeMap<>(endpoints));

        List<String> problems = new ArrayList<>();
        if (!PROVIDERS.contains(provider)) {
            problems.add(
                    "llm.provider must be one of " + PROVIDERS + ", got '" + InvalidInputException.cap(provider) + "'");
        }
        if (!"offline".equals(provider) && model.isEmpty()) {
            problems.add("llm.model is required for provider '" + provider + "' (e.g. gpt-4o-mini, llama3.2,"
                    + " claude-3-5-haiku-latest); set it or NEXUS_LLM_MODEL");
        }
        if (!baseUrl.isEmpty() && !baseUrl.matches("(?i)https?://\\S+")) {
            problems.add("llm.base-url must be an http(s) URL, got '" + InvalidInputException.cap(baseUrl) + "'");
        }
        if (!(temperature >= 0 && temperature <= 2)) {
            problems.add("llm.temperature must be within [0, 2], got " + temperature);
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            problems.add("llm.timeout-seconds must be within [1, 3600], got " + timeoutSeconds);
        }
        if (maxAttempts < 1 || maxAttempts > 10) {
            problems.add("llm.max-attempts must be within [1, 10], got " + maxAttempts);
        }
        if (backoffMillis < 0 || backoffMillis > 60_000) {
            problems.add("llm.backoff-millis must be within [0, 60000], got " + backoffMillis);
        }
        if (contextTokens < 512) {
            problems.add("llm.context-tokens must be at least 512, got " + contextTokens);
        }
        if (replyTokens < 16 || replyTokens >= contextTokens) {
            problems.add("llm.reply-tokens must be at least 16 and below llm.context-tokens, got " + replyTokens);
        }
        endpoints.keySet().stream()
                .filter(name -> !PROVIDERS.contains(name))
                .forEach(name -> problems.add("llm.endpoints has unknown provider '" + InvalidInputException.cap(name)
                        + "'; use one of " + PROVIDERS));
        if (!problems.isEmpty()) {
            throw new InvalidInputException(String.join("; ", problems));
        }
    }

    /** Returns the settings that select the offline model, with every other value at its default. */
    public static LlmSettings offlineDefaults() {
        return new LlmSettings(null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Returns settings for an OpenAI-compatible server, with every other value at its default. */
    public static LlmSettings openAiCompatible(String baseUrl, String apiKey, String model) {
        return new LlmSettings("openai", baseUrl, apiKey, model, null, null, null, null, null, null, null);
    }

    /** Returns the timeout as a duration. */
    public Duration timeout() {
        return Duration.ofSeconds(timeoutSeconds);
    }

    /** Returns true when no remote model is configured. */
    public boolean offline() {
        return "offline".equals(provider);
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "LlmSettings[provider=" + provider + ", baseUrl=" + baseUrl + ", apiKey="
                + (apiKey.isEmpty() ? "" : "***")
                + ", model=" + model + ", temperature=" + temperature + ", timeoutSeconds=" + timeoutSeconds
                + ", maxAttempts=" + maxAttempts + ", backoffMillis=" + backoffMillis + ", contextTokens="
                + contextTokens
                + ", replyTokens=" + replyTokens + ", endpoints=" + endpoints + "]";
    }
}
