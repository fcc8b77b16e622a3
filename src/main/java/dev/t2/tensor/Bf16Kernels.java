package dev.t2.tensor;

import static dev.t2.tensor.Species.F;
import static dev.t2.tensor.Species.I;
import static dev.t2.tensor.Species.L;
import static dev.t2.tensor.Species.S;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/** Dot products and decoding of bf16 weights: a bf16 is the upper half of an f32, so widening is a shift. */
final class Bf16Kernels {
    private Bf16Kernels() {}

    private static final VectorOperators.Binary LSHL = VectorOperators.LSHL;
    /** Mask of the upper bf16 of an int lane, which read as an f32 is that bf16's value. */
    private static final int HIGH = 0xFFFF0000;

    /** Elements per paired load: one int vector holds 2L bf16 values. */
    static final int PAIR_CHUNK = 2 * L;

    /**
     * x reordered for {@link #dot}: within each whole chunk of 2L elements the even-indexed ones, then the odd ones;
     * the tail after the last whole chunk is copied unchanged.
     */
    static void splitEvenOdd(float[] x, int xo, int n, float[] dst, int dstOff) {
        int c = 0;
        for (; c + PAIR_CHUNK <= n; c += PAIR_CHUNK) {
            for (int k = 0; k < L; k++) {
                dst[dstOff + c + k] = x[xo + c + 2 * k];
                dst[dstOff + c + L + k] = x[xo + c + 2 * k + 1];
            }
        }
        System.arraycopy(x, xo + c, dst, dstOff + c, n - c);
    }

    /**
     * Σ_{j<n} w[j] · x[j], with w starting at {@code byteOffset} and x given as {@link #splitEvenOdd} made it.
     * Each int lane holds two weights: shifting left by 16 yields the even one, masking the low half the odd one,
     * so a full 64-byte line is widened with two cheap in-lane operations and no cross-lane shuffle.
     */
    static float dot(MemorySegment w, long byteOffset, float[] xs, int xo, int n) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int j = 0;
        for (int end = n - 2 * PAIR_CHUNK; j <= end; j += 2 * PAIR_CHUNK) {
            long p = byteOffset + 2L * j;
            IntVector v0 = IntVector.fromMemorySegment(I, w, p, ByteOrder.LITTLE_ENDIAN);
            IntVector v1 = IntVector.fromMemorySegment(I, w, p + 4L * L, ByteOrder.LITTLE_ENDIAN);
            a0 = v0.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, xs, xo + j), a0);
            a1 = v0.and(HIGH).reinterpretAsFloats().fma(FloatVector.fromArray(F, xs, xo + j + L), a1);
            a2 = v1.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, xs, xo + j + 2 * L), a2);
            a3 = v1.and(HIGH).reinterpretAsFloats().fma(FloatVector.fromArray(F, xs, xo + j + 3 * L), a3);
        }
        for (int end = n - PAIR_CHUNK; j <= end; j += PAIR_CHUNK) {
            IntVector v = IntVector.fromMemorySegment(I, w, byteOffset + 2L * j, ByteOrder.LITTLE_ENDIAN);
            a0 = v.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, xs, xo + j), a0);
            a1 = v.and(HIGH).reinterpretAsFloats().fma(FloatVector.fromArray(F, xs, xo + j + L), a1);
        }
        float sum = Species.sum(a0.add(a1).add(a2.add(a3)));
        for (; j < n; j++) sum += Floats.bf16ToFloat(w.get(Tensor.I16_LE, byteOffset + 2L * j)) * xs[xo + j];
        return sum;
    }

    /**
     * Eight dot products at once: rows at byte offsets p0 + r·stride into out[o0 + r·outStride], r < 8. Rows far
     * apart in memory are eight independent streams, which keeps more cache-line fetches in flight than one stream
     * (measured on one core: 1 stream 63%, 4 streams 84%, 8 streams 93% of a plain summing loop's bandwidth).
     */
    static void dot8(MemorySegment w, long p0, long stride, float[] xs, int xo, int n, float[] out, int o0,
                     int outStride) {
        FloatVector z = FloatVector.zero(F), a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
        int j = 0;
        for (int end = n - PAIR_CHUNK; j <= end; j += PAIR_CHUNK) {
            long at = p0 + 2L * j;
            FloatVector xe = FloatVector.fromArray(F, xs, xo + j), xd = FloatVector.fromArray(F, xs, xo + j + L);
            // Spelled out without helpers: with eight rows C2 runs out of inlining budget, and a vector passed to a
            // method it does not inline gets boxed (measured 7x slower).
            IntVector v0 = IntVector.fromMemorySegment(I, w, at, ByteOrder.LITTLE_ENDIAN);
            a0 = v0.lanewise(LSHL, 16).reinterpretAsFloats().fma(xe, v0.and(HIGH).reinterpretAsFloats().fma(xd, a0));
            IntVector v1 = IntVector.fromMemorySegment(I, w, at + stride, ByteOrder.LITTLE_ENDIAN);
            a1 = v1.lanewise(LSHL, 16).reinterpretAsFloats().fma(xe, v1.and(HIGH).reinterpretAsFloats().fma(xd, a1));
            IntVector v2 = IntVector.fromMemorySegment(I, w, at + 2 * stride, ByteOrder.LITTLE_ENDIAN);
            a2 = v2.lanewise(LSHL, 16).reinterpretAsFloats().fma(xe, v2.and(HIGH).reinterpretAsFloats().fma(xd, a2));
            IntVector v3 = IntVector.fromMemorySegment(I, w, at + 3 * stride, ByteOrder.LITTLE_ENDIAN);
            a3 = v3.lanewise(LSHL, 16).reinterpretAsFloats().fma(xe, v3.and(HIGH).reinterpretAsFloats().fma(xd, a3));
            IntVector v4 = IntVector.fromMemorySegment(I, w, at + 4 * stride, ByteOrder.LITTLE_ENDIAN);
            a4 = v4.lanewise(LSHL, 16).reinterpretAsFloats().fma(xe, v4.and(HIGH).reinterpretAsFloats().fma(xd, a4));
            IntVector v5 = IntVector.fromMemorySegment(I, w, at + 5 * stride, ByteOrder.LITTLE_ENDIAN);
            a5 = v5.lanewise(LSHL, 16).reinterpretAsFloats().fma(xe, v5.and(HIGH).reinterpretAsFloats().fma(xd, a5));
            IntVector v6 = IntVector.fromMemorySegment(I, w, at + 6 * stride, ByteOrder.LITTLE_ENDIAN);
            a6 = v6.lanewise(LSHL, 16).reinterpretAsFloats().fma(xe, v6.and(HIGH).reinterpretAsFloats().fma(xd, a6));
            IntVector v7 = IntVector.fromMemorySegment(I, w, at + 7 * stride, ByteOrder.LITTLE_ENDIAN);
            a7 = v7.lanewise(LSHL, 16).reinterpretAsFloats().fma(xe, v7.and(HIGH).reinterpretAsFloats().fma(xd, a7));
        }
        out[o0] = Species.sum(a0) + tail(w, p0, xs, xo, j, n);
        out[o0 + outStride] = Species.sum(a1) + tail(w, p0 + stride, xs, xo, j, n);
        out[o0 + 2 * outStride] = Species.sum(a2) + tail(w, p0 + 2 * stride, xs, xo, j, n);
        out[o0 + 3 * outStride] = Species.sum(a3) + tail(w, p0 + 3 * stride, xs, xo, j, n);
        out[o0 + 4 * outStride] = Species.sum(a4) + tail(w, p0 + 4 * stride, xs, xo, j, n);
        out[o0 + 5 * outStride] = Species.sum(a5) + tail(w, p0 + 5 * stride, xs, xo, j, n);
        out[o0 + 6 * outStride] = Species.sum(a6) + tail(w, p0 + 6 * stride, xs, xo, j, n);
        out[o0 + 7 * outStride] = Species.sum(a7) + tail(w, p0 + 7 * stride, xs, xo, j, n);
    }

    /** Σ_{from ≤ j < n} w[j] · x[j], scalar, for the elements after the last whole chunk. */
    private static float tail(MemorySegment w, long byteOffset, float[] xs, int xo, int from, int n) {
        float sum = 0;
        for (int j = from; j < n; j++) sum += Floats.bf16ToFloat(w.get(Tensor.I16_LE, byteOffset + 2L * j)) * xs[xo + j];
        return sum;
    }

    /** dst[dstOff + j] = w[j] for j < n. */
    static void decode(MemorySegment w, long byteOffset, float[] dst, int dstOff, int n) {
        int j = 0;
        for (int end = n - L; j <= end; j += L) {
            ShortVector bits = ShortVector.fromMemorySegment(S, w, byteOffset + 2L * j, ByteOrder.LITTLE_ENDIAN);
            IntVector wide = (IntVector) bits.convertShape(VectorOperators.ZERO_EXTEND_S2I, I, 0);
            wide.lanewise(LSHL, 16).reinterpretAsFloats().intoArray(dst, dstOff + j);
        }
        for (; j < n; j++) dst[dstOff + j] = Floats.bf16ToFloat(w.get(Tensor.I16_LE, byteOffset + 2L * j));
    }
}
