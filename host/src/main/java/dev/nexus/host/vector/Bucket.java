package dev.nexus.host.vector;

import java.util.Arrays;

/**
 * A growable run of vectors stored back to back, with their ids. Removal moves the last entry into
 * the hole and zeroes the vacated floats, so a removed vector no longer exists in memory. Confined
 * to its {@link VectorIndex}'s lock.
 */
final class Bucket {

    private final int dim;
    float[] data;
    String[] ids;
    int size;

    Bucket(int dim, int capacity) {
        this.dim = dim;
        this.data = new float[Math.max(1, capacity) * dim];
        this.ids = new String[Math.max(1, capacity)];
    }

    /** Appends and returns the position. */
    int add(String id, float[] v, int offset) {
        if (size == ids.length) {
            int capacity = ids.length + Math.max(8, ids.length >> 1);
            ids = Arrays.copyOf(ids, capacity);
            data = Arrays.copyOf(data, capacity * dim);
        }
        System.arraycopy(v, offset, data, size * dim, dim);
        ids[size] = id;
        return size++;
    }

    /** Removes the entry at {@code pos}; returns the id that moved into {@code pos}, or null if none moved. */
    String removeAt(int pos) {
        int last = size - 1;
        String moved = null;
        if (pos != last) {
            System.arraycopy(data, last * dim, data, pos * dim, dim);
            ids[pos] = ids[last];
            moved = ids[pos];
        }
        Arrays.fill(data, last * dim, (last + 1) * dim, 0f);
        ids[last] = null;
        size = last;
        return moved;
    }

    /** Copies the vector at {@code pos}. */
    float[] vector(int pos) {
        return Arrays.copyOfRange(data, pos * dim, (pos + 1) * dim);
    }
}
