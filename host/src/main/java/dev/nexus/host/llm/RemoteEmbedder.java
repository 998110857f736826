package dev.nexus.host.llm;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.nexus.host.DependencyException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An embedding model behind an OpenAI-compatible {@code /embeddings} endpoint (OpenAI, Ollama,
 * LocalAI, vLLM, …). The vector size is learnt from the first answer unless configured. Failures
 * become {@link DependencyException}s (retriable: the caller may fall back to keyword search).
 * Thread-safe.
 */
final class RemoteEmbedder implements Embedder {

    private final EmbeddingModel model;
    private final String name;
    private final AtomicInteger dimensions;

    RemoteEmbedder(EmbeddingSettings settings) {
        OpenAiEmbeddingModel.OpenAiEmbeddingModelBuilder builder = OpenAiEmbeddingModel.builder()
                .baseUrl(settings.baseUrl())
                .apiKey(settings.apiKey().isEmpty() ? "none" : settings.apiKey())
                .modelName(settings.model())
                .timeout(Duration.ofSeconds(settings.timeoutSeconds()))
                .maxRetries(1);
        if (settings.dimensions() > 0) {
            builder.dimensions(settings.dimensions());
        }
        this.model = builder.build();
        this.name = "openai:" + settings.model() + (settings.dimensions() > 0 ? ":" + settings.dimensions() : "");
        this.dimensions = new AtomicInteger(settings.dimensions());
    }

    @Override
    public float[] embed(String text) {
        return embedAll(List.of(text)).get(0);
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<float[]> vectors;
        try {
            vectors =
                    model
                            .embedAll(texts.stream()
                                    .map(t -> TextSegment.from(t.isEmpty() ? " " : t))
                                    .toList())
                            .content()
                            .stream()
                            .map(e -> Vectors.unit(e.vector()))
                            .toList();
        } catch (RuntimeException e) {
            throw new DependencyException(
                    "the embedding model " + name + " did not answer: "
                            + e.getClass().getSimpleName() + "; check embedding.base-url and embedding.api-key",
                    true,
                    e);
        }
        if (vectors.size() != texts.size()) {
            throw new DependencyException(
                    "the embedding model " + name + " returned " + vectors.size() + " vectors for " + texts.size()
                            + " texts",
                    false,
                    null);
        }
        int size = vectors.get(0).length;
        if (!dimensions.compareAndSet(0, size) && dimensions.get() != size) {
            throw new DependencyException(
                    "the embedding model " + name + " returned " + size + " dimensions, expected " + dimensions.get()
                            + "; set embedding.dimensions to match the model",
                    false,
                    null);
        }
        return vectors;
    }

    @Override
    public int dimensions() {
        return dimensions.get();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean ready() {
        return true;
    }
}
