package dev.nexus.host.llm;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns text into a unit-length vector whose dot product with another such vector is their cosine
 * similarity. The host's only view of embedding models: langchain4j stays inside {@code host.llm}.
 *
 * <p>Implementations are thread-safe. A failing remote model throws
 * {@link dev.nexus.host.DependencyException}; an in-process model that is still loading blocks the
 * caller until it is ready (see {@link #ready()} to avoid waiting).
 */
public interface Embedder {

    /** Returns the unit-length embedding of {@code text}; blank text embeds like any other text. */
    float[] embed(String text);

    /** Returns the embeddings of {@code texts}, in order; implementations may batch. */
    default List<float[]> embedAll(List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (String text : texts) {
            vectors.add(embed(text));
        }
        return vectors;
    }

    /** Returns the number of dimensions of every vector this embedder returns. */
    int dimensions();

    /** Returns a stable name of the model, stored with vectors so a model change is detected. */
    String name();

    /** Returns whether {@link #embed(String)} would answer without waiting for a model to load. */
    boolean ready();
}
