package dev.nexus.host.vector;

import dev.nexus.host.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Dot products and the byte form of vectors stored in {@code BYTEA} columns. Stateless. */
public final class Vectors {

    private Vectors() {}

    /** Returns the dot product of {@code a} and {@code b} (the cosine similarity of unit vectors). */
    public static float dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors differ in size: " + a.length + " and " + b.length);
        }
        return dot(a, 0, b, a.length);
    }

    /** Returns the dot product of {@code dim} floats of {@code data} from {@code offset} with {@code q}. */
    static float dot(float[] data, int offset, float[] q, int dim) {
        // Eight independent sums let the CPU overlap the additions (about 1.3x over one sum here).
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 7 < dim; i += 8) {
            int o = offset + i;
            s0 += data[o] * q[i];
            s1 += data[o + 1] * q[i + 1];
            s2 += data[o + 2] * q[i + 2];
            s3 += data[o + 3] * q[i + 3];
            s4 += data[o + 4] * q[i + 4];
            s5 += data[o + 5] * q[i + 5];
            s6 += data[o + 6] * q[i + 6];
            s7 += data[o + 7] * q[i + 7];
        }
        for (; i < dim; i++) {
            s0 += data[offset + i] * q[i];
        }
        return (s0 + s1) + (s2 + s3) + (s4 + s5) + (s6 + s7);
    }

    /** Returns {@code v} as little-endian IEEE 754 floats, 4 bytes each. */
    public static byte[] toBytes(float[] v) {
        ByteBuffer buffer = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(v);
        return buffer.array();
    }

    /** Reads a vector written by {@link #toBytes(float[])}. */
    public static float[] fromBytes(byte[] bytes) {
        if (bytes.length % Float.BYTES != 0) {
            throw new InvalidInputException("a stored vector must be a multiple of 4 bytes long, got " + bytes.length
                    + "; the row is damaged: delete it or re-embed it");
        }
        float[] v = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
