package dev.nexus.host.vector;

import java.util.SplittableRandom;

/**
 * Unit vectors drawn around random topic centres, like sentence embeddings (which cluster by
 * topic), reproducible from a seed. Uniformly random vectors would be the worst case for any
 * index and unlike real text.
 */
final class SyntheticVectors {

    private final SplittableRandom random;
    private final int dim;
    private final float[][] centres;
    private final double spread;

    SyntheticVectors(long seed, int dim, int topics, double spread) {
        this.random = new SplittableRandom(seed);
        this.dim = dim;
        this.spread = spread;
        this.centres = new float[topics][];
        for (int t = 0; t < topics; t++) {
            centres[t] = gaussian(1.0);
        }
    }

    /** Returns the next vector: a random centre plus noise, scaled to unit length. */
    float[] next() {
        float[] centre = centres[random.nextInt(centres.length)];
        float[] noise = gaussian(spread);
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = centre[i] + noise[i];
        }
        return unit(v);
    }

    private float[] gaussian(double scale) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) (nextGaussian() * scale / Math.sqrt(dim));
        }
        return v;
    }

    private double nextGaussian() {
        double u = 1 - random.nextDouble();
        double w = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
    }

    static float[] unit(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        float scale = (float) (1 / Math.sqrt(sum));
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
        }
        return v;
    }
}
