package dev.nexus.host.vector;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Spherical k-means over unit vectors: centroids are re-normalised means, so the nearest centroid is
 * the one with the highest dot product. Trains on a seeded sample, so the same data and seed give
 * the same clusters. Stateless.
 */
final class Clustering {

    private static final int ITERATIONS = 8;
    private static final int SAMPLE_PER_CLUSTER = 32;

    private Clustering() {}

    /** Returns a good number of clusters for {@code n} entries (about the square root). */
    static int clustersFor(int n) {
        return Math.max(16, Math.min(4096, (int) Math.round(Math.sqrt(n))));
    }

    /** Returns {@code k} centroids, {@code dim} floats each, trained on a sample of {@code n} vectors. */
    static float[] train(float[] data, int n, int dim, int k, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int sampleSize = Math.min(n, Math.max(k * SAMPLE_PER_CLUSTER, 10_000));
        int[] sample = sample(n, sampleSize, random);
        float[] centroids = new float[k * dim];
        for (int c = 0; c < k; c++) {
            System.arraycopy(data, sample[c % sampleSize] * dim, centroids, c * dim, dim);
        }
        int[] assignment = new int[sampleSize];
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            float[] finalCentroids = centroids;
            IntStream.range(0, sampleSize)
                    .parallel()
                    .forEach(i -> assignment[i] = nearest(data, sample[i] * dim, finalCentroids, k, dim));
            double[] sums = new double[k * dim];
            int[] counts = new int[k];
            for (int i = 0; i < sampleSize; i++) {
                int c = assignment[i];
                counts[c]++;
                int from = sample[i] * dim;
                for (int d = 0; d < dim; d++) {
                    sums[c * dim + d] += data[from + d];
                }
            }
            float[] next = new float[k * dim];
            for (int c = 0; c < k; c++) {
                if (counts[c] == 0) {
                    // An empty cluster is re-seeded with a random sample point, so none is wasted.
                    System.arraycopy(data, sample[random.nextInt(sampleSize)] * dim, next, c * dim, dim);
                } else {
                    for (int d = 0; d < dim; d++) {
                        next[c * dim + d] = (float) sums[c * dim + d];
                    }
                }
                normalise(next, c * dim, dim);
            }
            centroids = next;
        }
        return centroids;
    }

    /** Returns the index of the centroid with the highest dot product with the vector at {@code offset}. */
    static int nearest(float[] data, int offset, float[] centroids, int k, int dim) {
        float[] v = new float[dim];
        System.arraycopy(data, offset, v, 0, dim);
        return nearest(v, centroids, k, dim);
    }

    static int nearest(float[] v, float[] centroids, int k, int dim) {
        int best = 0;
        float bestScore = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            float score = Vectors.dot(centroids, c * dim, v, dim);
            if (score > bestScore) {
                bestScore = score;
                best = c;
            }
        }
        return best;
    }

    private static int[] sample(int n, int size, SplittableRandom random) {
        int[] all = IntStream.range(0, n).toArray();
        for (int i = 0; i < size; i++) {
            int j = i + random.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, size);
    }

    private static void normalise(float[] v, int offset, int dim) {
        double sum = 0;
        for (int d = 0; d < dim; d++) {
            sum += (double) v[offset + d] * v[offset + d];
        }
        if (sum == 0) {
            return;
        }
        float scale = (float) (1 / Math.sqrt(sum));
        for (int d = 0; d < dim; d++) {
            v[offset + d] *= scale;
        }
    }
}
