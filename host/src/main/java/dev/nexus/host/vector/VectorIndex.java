package dev.nexus.host.vector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * An in-process index of unit vectors for top-k search by dot product (cosine similarity).
 *
 * <p>Small indexes are scanned exactly. Past {@link IndexSettings#exactBelow()} entries the index
 * clusters itself (an inverted file: spherical k-means into about √n clusters) and a search scans
 * only the clusters nearest the query, widening until it has {@code k} results that pass the filter.
 * Clustering is redone when the index has doubled since the last one; it runs on the executor given
 * at construction, from a snapshot, while searches and writes go on (a search before the first
 * clustering is exact). Vectors live in the clusters' own arrays, so removal takes the floats out of
 * memory at once.
 *
 * <p>Thread-safe: searches share a read lock; writes and installing a new clustering take the write
 * lock briefly.
 */
public final class VectorIndex {

    private final IndexSettings settings;
    private final Executor trainer;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final AtomicLong searches = new AtomicLong();
    private final AtomicLong scanned = new AtomicLong();
    private int dim;
    private Layout layout;
    private int clusteredAt;
    private Set<String> changedWhileTraining;
    private volatile boolean clusterAutomatically = true;

    /** The buckets, their centroids (null while unclustered) and where each id sits. */
    private static final class Layout {
        final Bucket[] buckets;
        final float[] centroids;
        final Map<String, Long> where;

        Layout(Bucket[] buckets, float[] centroids, Map<String, Long> where) {
            this.buckets = buckets;
            this.centroids = centroids;
            this.where = where;
        }

        int size() {
            return where.size();
        }
    }

    /**
     * Creates an empty index.
     *
     * @param dim the vector size, or 0 to take it from the first vector added
     * @param settings speed and exactness settings
     * @param trainer where re-clustering runs (e.g. a background executor; {@code Runnable::run}
     *     clusters on the writing thread)
     */
    public VectorIndex(int dim, IndexSettings settings, Executor trainer) {
        if (dim < 0) {
            throw new IllegalArgumentException("dim must be >= 0, got " + dim);
        }
        this.dim = dim;
        this.settings = settings;
        this.trainer = trainer;
        this.layout = new Layout(new Bucket[] {new Bucket(Math.max(dim, 1), 16)}, null, new HashMap<>());
    }

    /** Adds {@code vector} under {@code id}, replacing any vector stored under that id. */
    public void put(String id, float[] vector) {
        boolean cluster;
        lock.writeLock().lock();
        try {
            if (dim == 0) {
                dim = vector.length;
                layout = new Layout(new Bucket[] {new Bucket(dim, 16)}, null, new HashMap<>());
            }
            if (vector.length != dim) {
                throw new IllegalArgumentException("vector for '" + id + "' has " + vector.length
                        + " dimensions, the index holds " + dim + "; re-embed with the same model");
            }
            removeLocked(layout, id);
            insertLocked(layout, id, vector);
            if (changedWhileTraining != null) {
                changedWhileTraining.add(id);
            }
            cluster = clusterAutomatically
                    && changedWhileTraining == null
                    && layout.size() >= settings.exactBelow()
                    && layout.size() >= 2 * Math.max(clusteredAt, 1);
            if (cluster) {
                changedWhileTraining = new HashSet<>();
            }
        } finally {
            lock.writeLock().unlock();
        }
        if (cluster) {
            trainer.execute(this::recluster);
        }
    }

    /**
     * Turns automatic re-clustering on writes on or off (off during a bulk load, which then calls
     * {@link #cluster()} once).
     */
    public void clusterAutomatically(boolean on) {
        clusterAutomatically = on;
    }

    /** Removes the vector stored under {@code id}; returns whether there was one. */
    public boolean remove(String id) {
        lock.writeLock().lock();
        try {
            boolean removed = removeLocked(layout, id);
            if (removed && changedWhileTraining != null) {
                changedWhileTraining.add(id);
            }
            return removed;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Returns whether an entry is stored under {@code id}. */
    public boolean contains(String id) {
        lock.readLock().lock();
        try {
            return layout.where.containsKey(id);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Returns the number of entries. */
    public int size() {
        lock.readLock().lock();
        try {
            return layout.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Returns whether searches scan only the nearest clusters (false: every search is exact). */
    public boolean clustered() {
        lock.readLock().lock();
        try {
            return layout.centroids != null;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Returns the average number of vectors compared per {@link #search} so far (a cost measure). */
    public double averageScanned() {
        long count = searches.get();
        return count == 0 ? 0 : (double) scanned.get() / count;
    }

    /**
     * Returns up to {@code k} entries that pass {@code filter}, most similar first. Approximate once
     * clustered (see the class comment); exact before.
     */
    public List<Hit> search(float[] query, int k, Predicate<String> filter) {
        lock.readLock().lock();
        try {
            Layout current = layout;
            if (k <= 0 || current.size() == 0) {
                return List.of();
            }
            checkQuery(query);
            if (current.centroids == null) {
                return scanAll(current, query, k, filter);
            }
            int clusters = current.buckets.length;
            float[] centroidScores = new float[clusters];
            for (int c = 0; c < clusters; c++) {
                centroidScores[c] = Vectors.dot(current.centroids, c * dim, query, dim);
            }
            Integer[] order = new Integer[clusters];
            for (int c = 0; c < clusters; c++) {
                order[c] = c;
            }
            Arrays.sort(order, (a, b) -> Float.compare(centroidScores[b], centroidScores[a]));
            int probes = Math.max(settings.minProbes(), (int) Math.ceil(settings.probeFraction() * clusters));
            TopK top = new TopK(k);
            long compared = 0;
            for (int i = 0; i < clusters && (i < probes || top.size() < k); i++) {
                compared += scan(current.buckets[order[i]], query, top, filter);
            }
            record(compared);
            return top.hits();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Returns the similarity (dot product) of the vector stored under {@code id} with {@code query},
     * or NaN when there is none (for scoring a candidate another search found).
     */
    public double similarity(String id, float[] query) {
        lock.readLock().lock();
        try {
            Long at = layout.where.get(id);
            if (at == null || query.length != dim) {
                return Double.NaN;
            }
            return Vectors.dot(layout.buckets[bucketOf(at)].data, positionOf(at) * dim, query, dim);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Returns the exact top {@code k} entries that pass {@code filter}, by scanning every vector. */
    public List<Hit> exact(float[] query, int k, Predicate<String> filter) {
        lock.readLock().lock();
        try {
            if (k <= 0 || layout.size() == 0) {
                return List.of();
            }
            checkQuery(query);
            TopK top = new TopK(k);
            for (Bucket bucket : layout.buckets) {
                scan(bucket, query, top, filter);
            }
            return top.hits();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Clusters the index now, on the calling thread, if it holds at least
     * {@link IndexSettings#exactBelow()} entries (used after a bulk load at start-up).
     */
    public void cluster() {
        lock.writeLock().lock();
        try {
            if (changedWhileTraining != null || layout.size() < Math.max(settings.exactBelow(), 1)) {
                return;
            }
            changedWhileTraining = new HashSet<>();
        } finally {
            lock.writeLock().unlock();
        }
        recluster();
    }

    private void recluster() {
        try {
            String[] ids;
            float[] data;
            int n;
            int d;
            lock.readLock().lock();
            try {
                d = dim;
                n = layout.size();
                ids = new String[n];
                data = new float[n * d];
                int at = 0;
                for (Bucket bucket : layout.buckets) {
                    System.arraycopy(bucket.data, 0, data, at * d, bucket.size * d);
                    System.arraycopy(bucket.ids, 0, ids, at, bucket.size);
                    at += bucket.size;
                }
            } finally {
                lock.readLock().unlock();
            }
            int k = Clustering.clustersFor(n);
            float[] centroids = Clustering.train(data, n, d, k, settings.seed());
            int[] assignment = new int[n];
            IntStream.range(0, n)
                    .parallel()
                    .forEach(i -> assignment[i] = Clustering.nearest(data, i * d, centroids, k, d));
            int[] counts = new int[k];
            for (int c : assignment) {
                counts[c]++;
            }
            Bucket[] buckets = new Bucket[k];
            for (int c = 0; c < k; c++) {
                buckets[c] = new Bucket(d, counts[c] + 8);
            }
            Map<String, Long> where = new HashMap<>(n * 2);
            for (int i = 0; i < n; i++) {
                int pos = buckets[assignment[i]].add(ids[i], data, i * d);
                where.put(ids[i], location(assignment[i], pos));
            }
            install(new Layout(buckets, centroids, where), n);
        } catch (RuntimeException | Error e) {
            lock.writeLock().lock();
            try {
                changedWhileTraining = null;
            } finally {
                lock.writeLock().unlock();
            }
            throw e;
        }
    }

    /** Replays the writes made during clustering onto the new layout, then switches to it. */
    private void install(Layout next, int clusteredSize) {
        lock.writeLock().lock();
        try {
            for (String id : changedWhileTraining) {
                removeLocked(next, id);
                Long at = layout.where.get(id);
                if (at != null) {
                    insertLocked(next, id, layout.buckets[bucketOf(at)].vector(positionOf(at)));
                }
            }
            Layout previous = layout;
            layout = next;
            clusteredAt = clusteredSize;
            changedWhileTraining = null;
            for (Bucket bucket : previous.buckets) {
                Arrays.fill(bucket.data, 0f);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void insertLocked(Layout target, String id, float[] vector) {
        int bucket =
                target.centroids == null ? 0 : Clustering.nearest(vector, target.centroids, target.buckets.length, dim);
        int pos = target.buckets[bucket].add(id, vector, 0);
        target.where.put(id, location(bucket, pos));
    }

    private static boolean removeLocked(Layout target, String id) {
        Long at = target.where.remove(id);
        if (at == null) {
            return false;
        }
        Bucket bucket = target.buckets[bucketOf(at)];
        String moved = bucket.removeAt(positionOf(at));
        if (moved != null) {
            target.where.put(moved, at);
        }
        return true;
    }

    private List<Hit> scanAll(Layout current, float[] query, int k, Predicate<String> filter) {
        TopK top = new TopK(k);
        long compared = 0;
        for (Bucket bucket : current.buckets) {
            compared += scan(bucket, query, top, filter);
        }
        record(compared);
        return top.hits();
    }

    private int scan(Bucket bucket, float[] query, TopK top, Predicate<String> filter) {
        int compared = 0;
        for (int i = 0; i < bucket.size; i++) {
            float score = Vectors.dot(bucket.data, i * dim, query, dim);
            compared++;
            if (score > top.threshold() && filter.test(bucket.ids[i])) {
                top.offer(bucket.ids[i], score);
            }
        }
        return compared;
    }

    private void record(long compared) {
        searches.incrementAndGet();
        scanned.addAndGet(compared);
    }

    private void checkQuery(float[] query) {
        if (query.length != dim) {
            throw new IllegalArgumentException("query has " + query.length + " dimensions, the index holds " + dim);
        }
    }

    private static long location(int bucket, int pos) {
        return ((long) bucket << 32) | (pos & 0xffffffffL);
    }

    private static int bucketOf(long at) {
        return (int) (at >>> 32);
    }

    private static int positionOf(long at) {
        return (int) at;
    }

    /** Returns the ids stored, in no particular order (for tests and diagnostics). */
    List<String> ids() {
        lock.readLock().lock();
        try {
            return new ArrayList<>(layout.where.keySet());
        } finally {
            lock.readLock().unlock();
        }
    }
}
