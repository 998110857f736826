package dev.nexus.host.memory;

import dev.nexus.host.vector.Hit;
import dev.nexus.host.vector.IndexSettings;
import dev.nexus.host.vector.VectorIndex;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * The in-process indexes of memories: one {@link VectorIndex} per user (every search is for one
 * user, so a user's search never wades through another's memories), the {@link LexicalIndex}
 * (BM25 full text, also per user), and the metadata filters need. Every write goes to both, so
 * they cannot drift apart: a deleted or erased memory leaves both at once. Rebuilt from the
 * database at start-up; until then {@link #loaded()} is false (retrieval then uses the database's
 * keyword matches). Thread-safe.
 */
final class MemoryIndex {

    /**
     * What filters look at.
     *
     * @param user the user
     * @param fact true for facts, false for episodes
     * @param personality the fact's personality scope ("" = all) or the episode's personality
     * @param category the fact's category; empty for episodes
     * @param at when it happened (a fact's occurredAt, an episode's time)
     */
    record Meta(String user, boolean fact, String personality, Optional<FactCategory> category, Instant at) {}

    private final LexicalIndex lexical = new LexicalIndex();

    private final IndexSettings settings;
    private final Executor trainer;
    private final Map<String, VectorIndex> byUser = new ConcurrentHashMap<>();
    private final Map<String, Meta> meta = new ConcurrentHashMap<>();
    private volatile boolean loaded;
    /** Told the id of every entry this host put or removed once loaded (other hosts follow through it). */
    private volatile java.util.function.Consumer<String> changes = id -> {};

    void onChange(java.util.function.Consumer<String> listener) {
        this.changes = listener;
    }

    MemoryIndex(IndexSettings settings, Executor trainer) {
        this.settings = settings;
        this.trainer = trainer;
    }

    /** Indexes a memory: its text for full-text search and, when there is one, its vector (else any old vector goes). */
    void put(String id, Meta entry, String text, Optional<float[]> vector) {
        follow(id, entry, text, vector);
        if (loaded) {
            changes.accept(id);
        }
    }

    /** Indexes a memory without telling anyone: one another host wrote, or one loaded at start. */
    void follow(String id, Meta entry, String text, Optional<float[]> vector) {
        Meta old = meta.put(id, entry);
        if (old != null && !old.user().equals(entry.user())) {
            lexical.remove(old.user(), id);
        }
        lexical.put(entry.user(), id, text);
        if (vector.isPresent()) {
            followVector(id, vector.get());
        } else {
            VectorIndex index = byUser.get(entry.user());
            if (index != null) {
                index.remove(id);
            }
        }
    }

    /** Adds or replaces the vector of an indexed memory (after it was re-embedded). */
    void putVector(String id, float[] vector) {
        followVector(id, vector);
        if (loaded) {
            changes.accept(id);
        }
    }

    private void followVector(String id, float[] vector) {
        Meta entry = meta.get(id);
        if (entry == null) {
            return;
        }
        byUser.computeIfAbsent(entry.user(), u -> {
                    VectorIndex index = new VectorIndex(0, settings, trainer);
                    index.clusterAutomatically(loaded);
                    return index;
                })
                .put(id, vector);
    }

    /** Returns the best full-text (BM25) matches of {@code user} for {@code query} that pass {@code filter}. */
    List<LexicalIndex.Scored> lexical(String user, String query, int k, Predicate<Meta> filter) {
        return lexical.search(user, query, k, id -> {
            Meta entry = meta.get(id);
            return entry != null && filter.test(entry);
        });
    }

    /** Returns the most a memory of {@code user} could score in full text for {@code query} ({@link LexicalIndex#ceiling}). */
    double lexicalCeiling(String user, String query) {
        return lexical.ceiling(user, query);
    }

    /** Updates the time of an entry (a fact restated) without touching its vector. */
    void touch(String id, Instant at) {
        meta.computeIfPresent(id, (k, m) -> new Meta(m.user(), m.fact(), m.personality(), m.category(), at));
    }

    void remove(String id) {
        forget(id);
        changes.accept(id);
    }

    /** Removes an entry without telling anyone (another host deleted it). */
    void forget(String id) {
        Meta entry = meta.remove(id);
        if (entry != null) {
            lexical.remove(entry.user(), id);
            VectorIndex index = byUser.get(entry.user());
            if (index != null) {
                index.remove(id);
            }
        }
    }

    List<Hit> search(String user, float[] query, int k, Predicate<Meta> filter) {
        VectorIndex index = byUser.get(user);
        if (index == null) {
            return List.of();
        }
        return index.search(query, k, id -> {
            Meta entry = meta.get(id);
            return entry != null && filter.test(entry);
        });
    }

    /** Returns the cosine similarity of {@code id}'s vector with {@code query}, NaN when it has none. */
    double similarity(String id, float[] query) {
        Meta entry = meta.get(id);
        VectorIndex index = entry == null ? null : byUser.get(entry.user());
        return index == null ? Double.NaN : index.similarity(id, query);
    }

    Optional<Meta> meta(String id) {
        return Optional.ofNullable(meta.get(id));
    }

    boolean contains(String id) {
        return meta.containsKey(id);
    }

    /** Clusters every large per-user index now, after the start-up load, and from then on as they grow. */
    void clusterAll() {
        byUser.values().forEach(index -> {
            index.cluster();
            index.clusterAutomatically(true);
        });
    }

    /** Returns how many entries belong to {@code user}. */
    int entriesOf(String user) {
        return (int) meta.values().stream().filter(m -> m.user().equals(user)).count();
    }

    int size() {
        return meta.size();
    }

    int users() {
        return byUser.size();
    }

    boolean loaded() {
        return loaded;
    }

    void markLoaded() {
        loaded = true;
        byUser.values().forEach(index -> index.clusterAutomatically(true));
    }
}
