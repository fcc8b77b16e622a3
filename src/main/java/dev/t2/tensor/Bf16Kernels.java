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

    /** Elements per paired load: one int vector holds 2L bf16 values. */
    static final int PAIR_CHUNK = 2 * L;

    /** L bf16 values at {@code byteOffset} as floats, in order: zero-extend to 32 bits, shift into the upper half. */
    static FloatVector load(MemorySegment w, long byteOffset) {
        ShortVector bits = ShortVector.fromMemorySegment(S, w, byteOffset, ByteOrder.LITTLE_ENDIAN);
        IntVector wide = (IntVector) bits.convertShape(VectorOperators.ZERO_EXTEND_S2I, I, 0);
        return wide.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

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
            a0 = even(v0).fma(FloatVector.fromArray(F, xs, xo + j), a0);
            a1 = odd(v0).fma(FloatVector.fromArray(F, xs, xo + j + L), a1);
            a2 = even(v1).fma(FloatVector.fromArray(F, xs, xo + j + 2 * L), a2);
            a3 = odd(v1).fma(FloatVector.fromArray(F, xs, xo + j + 3 * L), a3);
        }
        for (int end = n - PAIR_CHUNK; j <= end; j += PAIR_CHUNK) {
            IntVector v = IntVector.fromMemorySegment(I, w, byteOffset + 2L * j, ByteOrder.LITTLE_ENDIAN);
            a0 = even(v).fma(FloatVector.fromArray(F, xs, xo + j), a0);
            a1 = odd(v).fma(FloatVector.fromArray(F, xs, xo + j + L), a1);
        }
        float sum = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) sum += Floats.bf16ToFloat(w.get(Tensor.I16_LE, byteOffset + 2L * j)) * xs[xo + j];
        return sum;
    }

    /**
     * Four dot products, rows at byte offsets p0..p3, into out[o0..o3]: rows far apart in memory are four
     * independent streams, which keeps more cache-line fetches in flight than one stream does.
     */
    static void dot4(MemorySegment w, long p0, long p1, long p2, long p3, float[] xs, int xo, int n,
                     float[] out, int o0, int o1, int o2, int o3) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0, d0 = a0, d1 = a0;
        int j = 0;
        for (int end = n - PAIR_CHUNK; j <= end; j += PAIR_CHUNK) {
            long at = 2L * j;
            FloatVector xe = FloatVector.fromArray(F, xs, xo + j), xd = FloatVector.fromArray(F, xs, xo + j + L);
            IntVector v = IntVector.fromMemorySegment(I, w, p0 + at, ByteOrder.LITTLE_ENDIAN);
            a0 = even(v).fma(xe, a0);
            a1 = odd(v).fma(xd, a1);
            v = IntVector.fromMemorySegment(I, w, p1 + at, ByteOrder.LITTLE_ENDIAN);
            b0 = even(v).fma(xe, b0);
            b1 = odd(v).fma(xd, b1);
            v = IntVector.fromMemorySegment(I, w, p2 + at, ByteOrder.LITTLE_ENDIAN);
            c0 = even(v).fma(xe, c0);
            c1 = odd(v).fma(xd, c1);
            v = IntVector.fromMemorySegment(I, w, p3 + at, ByteOrder.LITTLE_ENDIAN);
            d0 = even(v).fma(xe, d0);
            d1 = odd(v).fma(xd, d1);
        }
        out[o0] = a0.add(a1).reduceLanes(VectorOperators.ADD) + tail(w, p0, xs, xo, j, n);
        out[o1] = b0.add(b1).reduceLanes(VectorOperators.ADD) + tail(w, p1, xs, xo, j, n);
        out[o2] = c0.add(c1).reduceLanes(VectorOperators.ADD) + tail(w, p2, xs, xo, j, n);
        out[o3] = d0.add(d1).reduceLanes(VectorOperators.ADD) + tail(w, p3, xs, xo, j, n);
    }

    /** Σ_{from ≤ j < n} w[j] · x[j], scalar, for the elements after the last whole chunk. */
    private static float tail(MemorySegment w, long byteOffset, float[] xs, int xo, int from, int n) {
        float sum = 0;
        for (int j = from; j < n; j++) sum += Floats.bf16ToFloat(w.get(Tensor.I16_LE, byteOffset + 2L * j)) * xs[xo + j];
        return sum;
    }

    private static FloatVector even(IntVector pairs) {
        return pairs.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    private static FloatVector odd(IntVector pairs) {
        return pairs.and(0xFFFF0000).reinterpretAsFloats();
    }

    /** dst[dstOff + j] = w[j] for j < n. */
    static void decode(MemorySegment w, long byteOffset, float[] dst, int dstOff, int n) {
        int j = 0;
        for (int end = n - L; j <= end; j += L) load(w, byteOffset + 2L * j).intoArray(dst, dstOff + j);
        for (; j < n; j++) dst[dstOff + j] = Floats.bf16ToFloat(w.get(Tensor.I16_LE, byteOffset + 2L * j));
    }
}
