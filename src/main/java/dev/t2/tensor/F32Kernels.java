package dev.t2.tensor;

import static dev.t2.tensor.Species.F;
import static dev.t2.tensor.Species.L;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Dot products and decoding of f32 weights read straight from their little-endian bytes. Vector code is spelled
 * out in each kernel rather than factored into helpers: a vector passed to or returned from a method C2 does not
 * inline gets boxed, which costs several times the kernel itself.
 */
final class F32Kernels {
    private F32Kernels() {}

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /**
     * Σ_{j<n} w[j] · x[xo + j], with w starting at {@code byteOffset}. Sums in exactly {@link #dot8}'s order (one
     * accumulator), so a row's result does not depend on which of the two computed it (nor, through the way rows are
     * split across threads, on the number of cores); its FMA chain still outruns memory.
     */
    static float dot(MemorySegment w, long byteOffset, float[] x, int xo, int n) {
        FloatVector a = FloatVector.zero(F);
        int j = 0;
        for (int end = n - L; j <= end; j += L) {
            a = FloatVector.fromMemorySegment(F, w, byteOffset + 4L * j, LE).fma(FloatVector.fromArray(F, x, xo + j), a);
        }
        return Species.sum(a) + tail(w, byteOffset, x, xo, j, n);
    }

    /**
     * Eight dot products at once: rows at byte offsets p0 + r·stride into out[o0 + r·outStride], r < 8. Rows far
     * apart in memory are eight independent streams, which keeps more cache-line fetches in flight than one stream.
     */
    static void dot8(MemorySegment w, long p0, long stride, float[] x, int xo, int n, float[] out, int o0,
                     int outStride) {
        FloatVector z = FloatVector.zero(F), a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
        int j = 0;
        for (int end = n - L; j <= end; j += L) {
            long at = p0 + 4L * j;
            FloatVector xv = FloatVector.fromArray(F, x, xo + j);
            a0 = FloatVector.fromMemorySegment(F, w, at, LE).fma(xv, a0);
            a1 = FloatVector.fromMemorySegment(F, w, at + stride, LE).fma(xv, a1);
            a2 = FloatVector.fromMemorySegment(F, w, at + 2 * stride, LE).fma(xv, a2);
            a3 = FloatVector.fromMemorySegment(F, w, at + 3 * stride, LE).fma(xv, a3);
            a4 = FloatVector.fromMemorySegment(F, w, at + 4 * stride, LE).fma(xv, a4);
            a5 = FloatVector.fromMemorySegment(F, w, at + 5 * stride, LE).fma(xv, a5);
            a6 = FloatVector.fromMemorySegment(F, w, at + 6 * stride, LE).fma(xv, a6);
            a7 = FloatVector.fromMemorySegment(F, w, at + 7 * stride, LE).fma(xv, a7);
        }
        out[o0] = Species.sum(a0) + tail(w, p0, x, xo, j, n);
        out[o0 + outStride] = Species.sum(a1) + tail(w, p0 + stride, x, xo, j, n);
        out[o0 + 2 * outStride] = Species.sum(a2) + tail(w, p0 + 2 * stride, x, xo, j, n);
        out[o0 + 3 * outStride] = Species.sum(a3) + tail(w, p0 + 3 * stride, x, xo, j, n);
        out[o0 + 4 * outStride] = Species.sum(a4) + tail(w, p0 + 4 * stride, x, xo, j, n);
        out[o0 + 5 * outStride] = Species.sum(a5) + tail(w, p0 + 5 * stride, x, xo, j, n);
        out[o0 + 6 * outStride] = Species.sum(a6) + tail(w, p0 + 6 * stride, x, xo, j, n);
        out[o0 + 7 * outStride] = Species.sum(a7) + tail(w, p0 + 7 * stride, x, xo, j, n);
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
