package dev.nexus.host.llm;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link Embedder} that remembers the vectors of recently embedded texts (Caffeine, bounded by
 * entry count), so a repeated text — a pack fact, a frequent question, a re-ranked memory — costs a
 * lookup instead of a model call. Vectors handed out are copies. Thread-safe.
 */
public final class CachedEmbedder implements Embedder {

    private final Embedder delegate;
    private final Cache<String, float[]> cache;

    /** Wraps {@code delegate} with a cache of at most {@code maxEntries} texts. */
    public CachedEmbedder(Embedder delegate, long maxEntries) {
        this.delegate = delegate;
        this.cache = Caffeine.newBuilder().maximumSize(maxEntries).recordStats().build();
    }

    @Override
    public float[] embed(String text) {
        return cache.get(text, delegate::embed).clone();
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        Map<String, float[]> found = new HashMap<>(cache.getAllPresent(texts));
        List<String> missing =
                texts.stream().filter(t -> !found.containsKey(t)).distinct().toList();
        if (!missing.isEmpty()) {
            List<float[]> computed = delegate.embedAll(missing);
            for (int i = 0; i < missing.size(); i++) {
                cache.put(missing.get(i), computed.get(i));
                found.put(missing.get(i), computed.get(i));
            }
        }
        List<float[]> result = new ArrayList<>(texts.size());
        texts.forEach(t -> result.add(found.get(t).clone()));
        return result;
    }

    @Override
    public int dimensions() {
        return delegate.dimensions();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public boolean ready() {
        return delegate.ready();
    }

    /** Returns the cache's hit figures. */
    public CacheStats stats() {
        var stats = cache.stats();
        return new CacheStats(stats.hitCount(), stats.missCount(), stats.hitRate(), cache.estimatedSize());
    }
}
