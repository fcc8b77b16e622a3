package dev.t2.tensor;

import static dev.t2.tensor.Species.F;
import static dev.t2.tensor.Species.L;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Dot products and decoding of f32 weights read straight from their little-endian bytes. */
final class F32Kernels {
    private F32Kernels() {}

    static FloatVector load(MemorySegment w, long byteOffset) {
        return FloatVector.fromMemorySegment(F, w, byteOffset, ByteOrder.LITTLE_ENDIAN);
    }

    /** Σ_{j<n} w[j] · x[xo + j], with w starting at {@code byteOffset}. */
    static float dot(MemorySegment w, long byteOffset, float[] x, int xo, int n) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int j = 0;
        // Four independent accumulators hide the FMA latency.
        for (int end = n - 4 * L; j <= end; j += 4 * L) {
            long p = byteOffset + 4L * j;
            a0 = load(w, p).fma(FloatVector.fromArray(F, x, xo + j), a0);
            a1 = load(w, p + 4L * L).fma(FloatVector.fromArray(F, x, xo + j + L), a1);
            a2 = load(w, p + 8L * L).fma(FloatVector.fromArray(F, x, xo + j + 2 * L), a2);
            a3 = load(w, p + 12L * L).fma(FloatVector.fromArray(F, x, xo + j + 3 * L), a3);
        }
        for (int end = n - L; j <= end; j += L) {
            a0 = load(w, byteOffset + 4L * j).fma(FloatVector.fromArray(F, x, xo + j), a0);
        }
        float sum = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) sum += w.get(Tensor.F32_LE, byteOffset + 4L * j) * x[xo + j];
        return sum;
    }

    /**
     * Four dot products, rows at byte offsets p0..p3, into out[o0..o3]: rows far apart in memory are four
     * independent streams, which keeps more cache-line fetches in flight than one stream does.
     */
    static void dot4(MemorySegment w, long p0, long p1, long p2, long p3, float[] x, int xo, int n,
                     float[] out, int o0, int o1, int o2, int o3) {
        FloatVector a = FloatVector.zero(F), b = a, c = a, d = a;
        int j = 0;
        for (int end = n - L; j <= end; j += L) {
            long at = 4L * j;
            FloatVector xv = FloatVector.fromArray(F, x, xo + j);
            a = load(w, p0 + at).fma(xv, a);
            b = load(w, p1 + at).fma(xv, b);
            c = load(w, p2 + at).fma(xv, c);
            d = load(w, p3 + at).fma(xv, d);
        }
        out[o0] = a.reduceLanes(VectorOperators.ADD) + tail(w, p0, x, xo, j, n);
        out[o1] = b.reduceLanes(VectorOperators.ADD) + tail(w, p1, x, xo, j, n);
        out[o2] = c.reduceLanes(VectorOperators.ADD) + tail(w, p2, x, xo, j, n);
        out[o3] = d.reduceLanes(VectorOperators.ADD) + tail(w, p3, x, xo, j, n);
    }

    /** Σ_{from ≤ j < n} w[j] · x[j], scalar, for the elements after the last whole vector. */
    private static float tail(MemorySegment w, long byteOffset, float[] x, int xo, int from, int n) {
        float sum = 0;
        for (int j = from; j < n; j++) sum += w.get(Tensor.F32_LE, byteOffset + 4L * j) * x[xo + j];
        return sum;
    }

    /** dst[dstOff + j] = w[j] for j < n. */
    static void decode(MemorySegment w, long byteOffset, float[] dst, int dstOff, int n) {
        MemorySegment.copy(w, Tensor.F32_LE, byteOffset, dst, dstOff, n);
    }
}
