package dev.nexus.host.vector;

import java.util.ArrayList;
import java.util.List;

/** Keeps the {@code k} best (highest similarity) candidates in a min-heap. Confined to one search. */
final class TopK {

    private final int k;
    private final float[] scores;
    private final String[] ids;
    private int size;

    TopK(int k) {
        this.k = k;
        this.scores = new float[k];
        this.ids = new String[k];
    }

    /** Returns the similarity a candidate must beat to enter, or negative infinity while not full. */
    float threshold() {
        return size < k ? Float.NEGATIVE_INFINITY : scores[0];
    }

    int size() {
        return size;
    }

    void offer(String id, float score) {
        if (size < k) {
            scores[size] = score;
            ids[size] = id;
            siftUp(size++);
        } else if (score > scores[0]) {
            scores[0] = score;
            ids[0] = id;
            siftDown(0);
        }
    }

    /** Returns the hits, best first. */
    List<Hit> hits() {
        List<Hit> hits = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            hits.add(new Hit(ids[i], scores[i]));
        }
        hits.sort((a, b) -> Float.compare(b.similarity(), a.similarity()));
        return hits;
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (scores[parent] <= scores[i]) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int left = 2 * i + 1;
            int smallest = i;
            if (left < size && scores[left] < scores[smallest]) {
                smallest = left;
            }
            if (left + 1 < size && scores[left + 1] < scores[smallest]) {
                smallest = left + 1;
            }
            if (smallest == i) {
                return;
            }
            swap(i, smallest);
            i = smallest;
        }
    }

    private void swap(int a, int b) {
        float s = scores[a];
        scores[a] = scores[b];
        scores[b] = s;
        String id = ids[a];
        ids[a] = ids[b];
        ids[b] = id;
    }
}
