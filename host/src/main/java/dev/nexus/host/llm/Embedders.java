package dev.nexus.host.llm;

import java.util.concurrent.Executor;

/** Builds the configured {@link Embedder}. */
public final class Embedders {

    private Embedders() {}

    /**
     * Returns the embedder {@code settings} selects. The in-process model loads on {@code loader}
     * when first needed and is ready a second or two later; a remote one is ready at once.
     */
    public static Embedder create(EmbeddingSettings settings, Executor loader) {
        return settings.provider().equals(EmbeddingSettings.OPENAI)
                ? new RemoteEmbedder(settings)
                : new LocalEmbedder(loader);
    }
}
