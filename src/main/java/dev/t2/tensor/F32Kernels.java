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

    /** dst[dstOff + j] = w[j] for j < n. */
    static void decode(MemorySegment w, long byteOffset, float[] dst, int dstOff, int n) {
        MemorySegment.copy(w, Tensor.F32_LE, byteOffset, dst, dstOff, n);
    }
}
