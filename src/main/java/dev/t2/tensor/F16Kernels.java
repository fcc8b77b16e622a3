package dev.t2.tensor;

import static dev.t2.tensor.Species.F;
import static dev.t2.tensor.Species.L;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Dot products and decoding of IEEE f16 weights. This JDK's Vector API has no f16 conversion and emulating it with
 * integer lane operations measured 3x slower than letting C2's auto-vectorizer turn a plain
 * {@link Float#float16ToFloat} loop into the hardware conversion (vcvtph2ps), so rows are decoded a chunk at a time
 * into a small f32 buffer that stays in L1 and dotted from there.
 */
final class F16Kernels {
    private F16Kernels() {}

    /** Elements of a row decoded per step of {@link #dot} and {@link #dot8}: eight runs this long stay in L1. */
    static final int CHUNK = 512;

    /**
     * Σ_{j<n} w[j] · x[xo + j], with w starting at {@code byteOffset}; scratch holds at least min(n, CHUNK). Decodes
     * and sums in exactly {@link #dot8}'s order, so a row's result does not depend on which of the two computed it
     * (nor, through the way rows are split across threads, on the number of cores).
     */
    static float dot(MemorySegment w, long byteOffset, float[] x, int xo, int n, float[] scratch) {
        FloatVector a = FloatVector.zero(F);
        float t = 0;
        for (int c0 = 0; c0 < n; c0 += CHUNK) {
            int len = Math.min(CHUNK, n - c0);
            decode(w, byteOffset + 2L * c0, scratch, 0, len);
            int j = 0;
            for (int end = len - L; j <= end; j += L) {
                a = FloatVector.fromArray(F, scratch, j).fma(FloatVector.fromArray(F, x, xo + c0 + j), a);
            }
            for (; j < len; j++) t += scratch[j] * x[xo + c0 + j];
        }
        return Species.sum(a) + t;
    }

    /**
     * Eight dot products at once: rows at byte offsets p0 + r·stride into out[o0 + r·outStride], r < 8. Rows far
     * apart in memory are eight independent streams; each step decodes a run of every row into scratch (at least
     * 8 × CHUNK floats), then one load of x serves all eight rows.
     */
    static void dot8(MemorySegment w, long p0, long stride, float[] x, int xo, int n, float[] out, int o0,
                     int outStride, float[] scratch) {
        FloatVector z = FloatVector.zero(F), a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
        float t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0, t6 = 0, t7 = 0;
        final int c = CHUNK;
        for (int c0 = 0; c0 < n; c0 += c) {
            int len = Math.min(c, n - c0);
            for (int r = 0; r < 8; r++) decode(w, p0 + r * stride + 2L * c0, scratch, r * c, len);
            int j = 0;
            // Spelled out without helpers: a vector passed to a method C2 does not inline gets boxed.
            for (int end = len - L; j <= end; j += L) {
                FloatVector xv = FloatVector.fromArray(F, x, xo + c0 + j);
                a0 = FloatVector.fromArray(F, scratch, j).fma(xv, a0);
                a1 = FloatVector.fromArray(F, scratch, c + j).fma(xv, a1);
                a2 = FloatVector.fromArray(F, scratch, 2 * c + j).fma(xv, a2);
                a3 = FloatVector.fromArray(F, scratch, 3 * c + j).fma(xv, a3);
                a4 = FloatVector.fromArray(F, scratch, 4 * c + j).fma(xv, a4);
                a5 = FloatVector.fromArray(F, scratch, 5 * c + j).fma(xv, a5);
                a6 = FloatVector.fromArray(F, scratch, 6 * c + j).fma(xv, a6);
                a7 = FloatVector.fromArray(F, scratch, 7 * c + j).fma(xv, a7);
            }
            for (; j < len; j++) {
                float xj = x[xo + c0 + j];
                t0 += scratch[j] * xj;
                t1 += scratch[c + j] * xj;
                t2 += scratch[2 * c + j] * xj;
                t3 += scratch[3 * c + j] * xj;
                t4 += scratch[4 * c + j] * xj;
                t5 += scratch[5 * c + j] * xj;
                t6 += scratch[6 * c + j] * xj;
                t7 += scratch[7 * c + j] * xj;
            }
        }
        out[o0] = Species.sum(a0) + t0;
        out[o0 + outStride] = Species.sum(a1) + t1;
        out[o0 + 2 * outStride] = Species.sum(a2) + t2;
        out[o0 + 3 * outStride] = Species.sum(a3) + t3;
        out[o0 + 4 * outStride] = Species.sum(a4) + t4;
        out[o0 + 5 * outStride] = Species.sum(a5) + t5;
        out[o0 + 6 * outStride] = Species.sum(a6) + t6;
        out[o0 + 7 * outStride] = Species.sum(a7) + t7;
    }

    /** dst[dstOff + j] = w[j] for j < n; kept a simple counted loop so C2 vectorizes it. */
    static void decode(MemorySegment w, long byteOffset, float[] dst, int dstOff, int n) {
        for (int j = 0; j < n; j++) dst[dstOff + j] = Float.float16ToFloat(w.get(Tensor.I16_LE, byteOffset + 2L * j));
    }
}
