package dev.t2.mesa;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** One head's columns [off, off + size) in row-major [positions, width] activations. */
record HeadView(int positions, int width, int off, int size) {
    int at(int t) {
        return t * width + off;
    }

    /** The head's columns of x as [size, positions]: rows that score many positions at once by axpy. */
    float[] transposed(float[] x) {
        float[] out = new float[size * positions];
        for (int t = 0; t < positions; t++) for (int a = 0; a < size; a++) out[a * positions + t] = x[at(t) + a];
        return out;
    }

    /** out[i] = x_t·y_i for i ≤ t, given yT = transposed(y): axpy rows instead of one serial dot per pair. */
    void scores(float[] x, int t, float[] yT, float[] out) {
        java.util.Arrays.fill(out, 0, t + 1, 0f);
        int xt = at(t);
        for (int a = 0; a < size; a++) axpy(x[xt + a], yT, a * positions, out, 0, t + 1);
    }

    /** A plain loop on purpose: the Vector API's lane reduction order is unspecified, and training must replay bit for bit on resume. */
    static float dot(float[] a, int ai, float[] b, int bi, int n) {
        float s = 0;
        for (int j = 0; j < n; j++) s += a[ai + j] * b[bi + j];
        return s;
    }

    private static final VectorSpecies<Float> LANES = FloatVector.SPECIES_256; // 8 lanes: head and token widths here are multiples of 10

    /** y[yi…] += α·x[xi…], fused multiply-add in every lane and in the tail, so the result never depends on the JIT. */
    static void axpy(float alpha, float[] x, int xi, float[] y, int yi, int n) {
        int j = 0;
        if (n >= LANES.length()) {
            FloatVector a = FloatVector.broadcast(LANES, alpha);
            for (int end = n - LANES.length(); j <= end; j += LANES.length()) {
                FloatVector.fromArray(LANES, x, xi + j).fma(a, FloatVector.fromArray(LANES, y, yi + j)).intoArray(y, yi + j);
            }
        }
        for (; j < n; j++) y[yi + j] = Math.fma(alpha, x[xi + j], y[yi + j]);
    }
}
