package dev.nexus.host.llm;

import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.net.http.HttpClient;
import java.time.Duration;

/** Builds langchain4j clients for each provider we support. Stateless. */
final class Providers {

    static final String OPENAI_URL = "https://api.openai.com/v1";
    static final String OLLAMA_URL = "http://localhost:11434";
    static final String ANTHROPIC_URL = "https://api.anthropic.com/v1/";

    /**
     * Everything needed to reach one model. Holds the key: never log it (its {@code toString} hides it).
     *
     * @param provider {@code openai}, {@code ollama} or {@code anthropic}
     * @param baseUrl the base URL; empty for the provider's public default
     * @param apiKey the key; empty when the server needs none
     * @param model the model name
     * @param temperature the sampling temperature
     * @param timeout the connect and read timeout, and the longest quiet gap in a stream
     * @param replyTokens the default reply token limit
     */
    record Target(
            String provider,
            String baseUrl,
            String apiKey,
            String model,
            double temperature,
            Duration timeout,
            int replyTokens) {

        /** Returns the base URL that will really be used. */
        String effectiveBaseUrl() {
            if (!baseUrl.isEmpty()) {
                return baseUrl;
            }
            return switch (provider) {
                case "ollama" -> OLLAMA_URL;
                case "anthropic" -> ANTHROPIC_URL;
                default -> OPENAI_URL;
            };
        }

        ModelDescription description() {
            return new ModelDescription(provider, model, effectiveBaseUrl(), false);
        }

        @Override
        public String toString() {
            return "Target[" + description().label() + "]";
        }
    }

    private Providers() {}

    /** Returns a model for {@code target} with {@code retry} around every call. */
    static RemoteModel build(Target target, RetryPolicy retry) {
        return switch (target.provider()) {
            case "openai" -> openAi(target, retry);
            case "ollama" -> ollama(target, retry);
            case "anthropic" -> anthropic(target, retry);
            default -> throw new IllegalArgumentException("no remote provider '" + target.provider() + "'");
        };
    }

    private static RemoteModel openAi(Target target, RetryPolicy retry) {
        // OpenAI-compatible servers (Ollama, llama.cpp, vLLM, LM Studio) accept any key; send a placeholder when none
        // is set.
        String key = target.apiKey().isEmpty() ? "none" : target.apiKey();
        OpenAiChatModel chat = OpenAiChatModel.builder()
                .httpClientBuilder(http(target.timeout()))
                .baseUrl(target.effectiveBaseUrl())
                .apiKey(key)
                .modelName(target.model())
                .temperature(target.temperature())
                .timeout(target.timeout())
                .maxRetries(0)
                .build();
        OpenAiStreamingChatModel streaming = OpenAiStreamingChatModel.builder()
                .httpClientBuilder(http(target.timeout()))
                .baseUrl(target.effectiveBaseUrl())
                .apiKey(key)
                .modelName(target.model())
                .temperature(target.temperature())
                .timeout(target.timeout())
                .build();
        return new RemoteModel(
                target.description(), target.apiKey(), chat, streaming, retry, target.timeout(), target.replyTokens());
    }

    private static RemoteModel ollama(Target target, RetryPolicy retry) {
        OllamaChatModel chat = OllamaChatModel.builder()
                .httpClientBuilder(http(target.timeout()))
                .baseUrl(target.effectiveBaseUrl())
                .modelName(target.model())
                .temperature(target.temperature())
                .timeout(target.timeout())
                .maxRetries(0)
                .build();
        OllamaStreamingChatModel streaming = OllamaStreamingChatModel.builder()
                .httpClientBuilder(http(target.timeout()))
                .baseUrl(target.effectiveBaseUrl())
                .modelName(target.model())
                .temperature(target.temperature())
                .timeout(target.timeout())
                .build();
        return new RemoteModel(
                target.description(), target.apiKey(), chat, streaming, retry, target.timeout(), target.replyTokens());
    }

    private static RemoteModel anthropic(Target target, RetryPolicy retry) {
        AnthropicChatModel chat = AnthropicChatModel.builder()
                .httpClientBuilder(http(target.timeout()))
                .baseUrl(target.effectiveBaseUrl())
                .apiKey(target.apiKey())
                .modelName(target.model())
                .temperature(target.temperature())
                .maxTokens(target.replyTokens())
                .timeout(target.timeout())
                .maxRetries(0)
                .build();
        AnthropicStreamingChatModel streaming = AnthropicStreamingChatModel.builder()
                .httpClientBuilder(http(target.timeout()))
                .baseUrl(target.effectiveBaseUrl())
                .apiKey(target.apiKey())
                .modelName(target.model())
                .temperature(target.temperature())
                .maxTokens(target.replyTokens())
                .timeout(target.timeout())
                .build();
        return new RemoteModel(
                target.description(), target.apiKey(), chat, streaming, retry, target.timeout(), target.replyTokens());
    }

    /** HTTP/1.1 so plain-HTTP local servers are not offered an h2c upgrade some of them mishandle. */
    private static JdkHttpClientBuilder http(Duration timeout) {
        return JdkHttpClient.builder()
                .httpClientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1))
                .connectTimeout(timeout)
                .readTimeout(timeout);
    }
}
