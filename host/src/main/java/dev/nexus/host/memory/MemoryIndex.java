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
 * The in-process vector index of memories, one {@link VectorIndex} per user (every search is for
 * one user, so a user's search never wades through another's memories), with the metadata filters
 * need. Rebuilt from the database at start-up; until then {@link #loaded()} is false and retrieval
 * falls back to keywords. Thread-safe.
 */
final class MemoryIndex {

    /**
     * What filters look at.
     *
     * @param user the user
     * @param fact true for facts, false for episodes
     * @param personality the fact's personality scope ("" = all) or the episode's personality
     * @param category the fact's category; empty for episodes
     * @param at when it was last stated or written
     */
    record Meta(String user, boolean fact, String personality, Optional<FactCategory> category, Instant at) {
    }

    private final IndexSettings settings;
    private final Executor trainer;
    private final Map<String, VectorIndex> byUser = new ConcurrentHashMap<>();
    private final Map<String, Meta> meta = new ConcurrentHashMap<>();
    private volatile boolean loaded;
    /** Told the id of every entry this host put or removed once loaded (other hosts follow through it). */
    private volatile java.util.function.Consumer<String> changes = id -> { };

    void onChange(java.util.function.Consumer<String> listener) {
        this.changes = listener;
    }

    MemoryIndex(IndexSettings settings, Executor trainer) {
        this.settings = settings;
        this.trainer = trainer;
    }

    void put(String id, Meta entry, float[] vector) {
        follow(id, entry, vector);
        if (loaded) {
            changes.accept(id);
        }
    }

    /** Puts an entry without telling anyone: one another host wrote, or one loaded at start. */
    void follow(String id, Meta entry, float[] vector) {
        meta.put(id, entry);
        byUser.computeIfAbsent(entry.user(), u -> {
            VectorIndex index = new VectorIndex(0, settings, trainer);
            index.clusterAutomatically(loaded);
            return index;
        }).put(id, vector);
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
