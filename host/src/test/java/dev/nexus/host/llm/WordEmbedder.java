package dev.nexus.host.llm;

import java.util.Locale;

/**
 * A hand-written fake {@link Embedder} for tests: each lower-cased word (minus a trailing "s") adds
 * 1 to one of the hashed dimensions, then the vector is scaled to unit length. Texts that share
 * words are similar; deterministic and instant.
 */
public final class WordEmbedder implements Embedder {

    private final int dimensions;

    /** Uses 256 dimensions. */
    public WordEmbedder() {
        this(256);
    }

    /** Uses {@code dimensions} dimensions (fewer is faster and collides more). */
    public WordEmbedder(int dimensions) {
        this.dimensions = dimensions;
    }

    @Override
    public float[] embed(String text) {
        float[] v = new float[dimensions];
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (word.length() < 3) {
                continue;
            }
            String stem = word.endsWith("s") ? word.substring(0, word.length() - 1) : word;
            v[Math.floorMod(stem.hashCode(), dimensions)] += 1;
        }
        return Vectors.unit(v);
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public String name() {
        return "test-words";
    }

    @Override
    public boolean ready() {
        return true;
    }
}
