package dev.nexus.host.llm;

import dev.nexus.host.InvalidInputException;
import java.util.Locale;

/**
 * The {@code embedding} configuration section. Immutable; every default is stated here once.
 *
 * <pre>{@code
 * embedding:
 *   provider: local            # local (in-process all-MiniLM-L6-v2, quantised) | openai (any OpenAI-compatible server)
 *   base-url: http://localhost:11434/v1   # openai only
 *   model: text-embedding-3-small         # openai only
 *   api-key: ...               # openai only; set it through NEXUS_EMBEDDING_API_KEY, never in a file
 *   dimensions: 0              # openai only; 0 = the model's own size
 *   timeout-seconds: 30        # openai only
 * }</pre>
 *
 * @param provider {@code local} or {@code openai}
 * @param baseUrl the OpenAI-compatible server's base URL (ending in {@code /v1})
 * @param model the remote model name
 * @param apiKey the remote API key; empty for servers that need none
 * @param dimensions requested vector size for remote models that can shorten vectors; 0 = native
 * @param timeoutSeconds remote call timeout
 */
public record EmbeddingSettings(
        String provider, String baseUrl, String model, String apiKey, Integer dimensions, Integer timeoutSeconds) {

    /** The in-process model's provider name. */
    public static final String LOCAL = "local";
    /** Any server that speaks the OpenAI embeddings API. */
    public static final String OPENAI = "openai";

    /** Applies defaults and validates. */
    public EmbeddingSettings {
        provider =
                provider == null || provider.isBlank() ? LOCAL : provider.trim().toLowerCase(Locale.ROOT);
        baseUrl = baseUrl == null ? "" : baseUrl.trim();
        model = model == null || model.isBlank() ? "text-embedding-3-small" : model.trim();
        apiKey = apiKey == null ? "" : apiKey;
        dimensions = dimensions == null ? 0 : dimensions;
        timeoutSeconds = timeoutSeconds == null ? 30 : timeoutSeconds;
        if (!provider.equals(LOCAL) && !provider.equals(OPENAI)) {
            throw new InvalidInputException("embedding.provider must be 'local' or 'openai', got '"
                    + InvalidInputException.cap(provider) + "'; use 'local' for the bundled offline model");
        }
        if (provider.equals(OPENAI) && !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
            throw new InvalidInputException("embedding.base-url must be an http(s) URL when provider is 'openai', got '"
                    + InvalidInputException.cap(baseUrl) + "'; e.g. http://localhost:11434/v1");
        }
        if (dimensions < 0 || dimensions > 8192) {
            throw new InvalidInputException("embedding.dimensions must be between 0 and 8192, got " + dimensions);
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 600) {
            throw new InvalidInputException(
                    "embedding.timeout-seconds must be between 1 and 600, got " + timeoutSeconds);
        }
    }

    /** Returns the default: the bundled in-process model. */
    public static EmbeddingSettings local() {
        return new EmbeddingSettings(null, null, null, null, null, null);
    }

    /** Hides the API key. */
    @Override
    public String toString() {
        return "EmbeddingSettings[provider=" + provider + ", baseUrl=" + baseUrl + ", model=" + model
                + ", apiKey=" + (apiKey.isEmpty() ? "" : "***") + ", dimensions=" + dimensions
                + ", timeoutSeconds=" + timeoutSeconds + "]";
    }
}
