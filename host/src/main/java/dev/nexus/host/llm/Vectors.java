package dev.nexus.host.llm;

/** Scales vectors to unit length so that a dot product is a cosine similarity. */
final class Vectors {

    private Vectors() {}

    /** Returns {@code v} scaled to unit length in place (a zero vector stays zero). */
    static float[] unit(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        if (sum == 0 || Math.abs(sum - 1.0) < 1e-6) {
            return v;
        }
        float scale = (float) (1.0 / Math.sqrt(sum));
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
        }
        return v;
    }
}
