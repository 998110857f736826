package dev.nexus.host.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

    /**
     * Returns the embedding of {@code text} when the model is ready and answers; empty when it is
     * still loading or fails (a {@link dev.nexus.host.DependencyException}), so that retrieval falls
     * back to keywords instead of waiting or failing the turn. The one embed-or-fall-back of the host.
     */
    default Optional<float[]> embedIfReady(String text) {
        if (!ready() || text.isBlank()) { // blank text has no meaning to compare: keywords (none) decide

            return Optional.empty();
        }
        try {
            return Optional.of(embed(text));
        } catch (dev.nexus.host.DependencyException e) {
            System.getLogger(Embedder.class.getName())
                    .log(System.Logger.Level.DEBUG, "embedding failed, retrieval uses keywords: {0}", e.getMessage());
            return Optional.empty();
        }
    }

    /** Returns the number of dimensions of every vector this embedder returns. */
    int dimensions();

    /** Returns a stable name of the model, stored with vectors so a model change is detected. */
    String name();

    /** Returns whether {@link #embed(String)} would answer without waiting for a model to load. */
    boolean ready();

    /**
     * Waits, at most {@code limit}, for background work this embedder started (loading a local model)
     * to end, and starts no more: before the process exits, since native code that is loading a model
     * cannot be interrupted and crashes when the runtime unloads under it. Does nothing by default.
     */
    default void settle(java.time.Duration limit) {}
}
