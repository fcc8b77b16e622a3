package dev.t2.tensor;

import static dev.t2.tensor.Species.F;
import static dev.t2.tensor.Species.L;

import jdk.incubator.vector.FloatVector;

/**
 * Products with a small matrix stored transposed, t[e·ld + j] for e < rows, that run along j in whole vectors: the
 * attention of training keeps one head's keys and values this way, [head dim][positions], so its loops are as long
 * as the sequence rather than as the head. Every range [from, to) is a whole number of vectors wide (callers pad).
 */
public final class TransposedOps {
    private TransposedOps() {}

    /** Floats per vector: the unit that every range's width is a multiple of. */
    public static final int VECTOR_LENGTH = L;

    /** out[j] = scale · Σ_e x[xo + e] · t[e·ld + j] for j in [from, to); four chains hide the FMA latency. */
    public static void vectorTimes(float[] x, int xo, float[] t, int ld, int rows, float scale, float[] out, int from, int to) {
        for (int j = from; j < to; j += L) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            int e = 0;
            for (; e + 3 < rows; e += 4) {
                a0 = FloatVector.fromArray(F, t, e * ld + j).fma(FloatVector.broadcast(F, x[xo + e]), a0);
                a1 = FloatVector.fromArray(F, t, (e + 1) * ld + j).fma(FloatVector.broadcast(F, x[xo + e + 1]), a1);
                a2 = FloatVector.fromArray(F, t, (e + 2) * ld + j).fma(FloatVector.broadcast(F, x[xo + e + 2]), a2);
                a3 = FloatVector.fromArray(F, t, (e + 3) * ld + j).fma(FloatVector.broadcast(F, x[xo + e + 3]), a3);
            }
            for (; e < rows; e++) a0 = FloatVector.fromArray(F, t, e * ld + j).fma(FloatVector.broadcast(F, x[xo + e]), a0);
            a0.add(a1).add(a2.add(a3)).mul(scale).intoArray(out, j);
        }
    }

    /** out[oo + e] += scale · Σ_j w[j] · t[e·ld + j] over j in [from, to), for every e < rows; four rows share each load of w. */
    public static void addTimesVector(float[] t, int ld, int rows, float[] w, int from, int to, float scale, float[] out, int oo) {
        int e = 0;
        for (; e + 3 < rows; e += 4) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int j = from; j < to; j += L) {
                FloatVector wj = FloatVector.fromArray(F, w, j);
                a0 = FloatVector.fromArray(F, t, e * ld + j).fma(wj, a0);
                a1 = FloatVector.fromArray(F, t, (e + 1) * ld + j).fma(wj, a1);
                a2 = FloatVector.fromArray(F, t, (e + 2) * ld + j).fma(wj, a2);
                a3 = FloatVector.fromArray(F, t, (e + 3) * ld + j).fma(wj, a3);
            }
            out[oo + e] += Species.sum(a0) * scale;
            out[oo + e + 1] += Species.sum(a1) * scale;
            out[oo + e + 2] += Species.sum(a2) * scale;
            out[oo + e + 3] += Species.sum(a3) * scale;
        }
        for (; e < rows; e++) {
            FloatVector a = FloatVector.zero(F);
            for (int j = from; j < to; j += L) a = FloatVector.fromArray(F, t, e * ld + j).fma(FloatVector.fromArray(F, w, j), a);
            out[oo + e] += Species.sum(a) * scale;
        }
    }

    /** t[e·ld + j] += x[xo + e] · w[j] for e < rows and j in [from, to): a rank-one update, each vector of w loaded once. */
    public static void addOuter(float[] x, int xo, float[] w, int from, int to, float[] t, int ld, int rows) {
        for (int j = from; j < to; j += L) {
            FloatVector wj = FloatVector.fromArray(F, w, j);
            for (int e = 0; e < rows; e++) {
                int o = e * ld + j;
                wj.fma(FloatVector.broadcast(F, x[xo + e]), FloatVector.fromArray(F, t, o)).intoArray(t, o);
            }
        }
    }
}
