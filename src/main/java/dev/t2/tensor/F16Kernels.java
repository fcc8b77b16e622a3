package dev.t2.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Dot products and decoding of IEEE f16 weights. This JDK's Vector API has no f16 conversion and emulating it with
 * integer lane operations measured 3x slower than letting C2's auto-vectorizer turn a plain
 * {@link Float#float16ToFloat} loop into the hardware conversion (vcvtph2ps), so rows are decoded a chunk at a time
 * into a small f32 buffer that stays in L1 and dotted from there.
 */
final class F16Kernels {
    private F16Kernels() {}

    /** Elements decoded per step of {@link #dot}: small enough to stay in L1, long enough to amortize the loop. */
    static final int CHUNK = 512;

    /** Σ_{j<n} w[j] · x[xo + j], with w starting at {@code byteOffset}; scratch holds at least min(n, CHUNK). */
    static float dot(MemorySegment w, long byteOffset, float[] x, int xo, int n, float[] scratch) {
        float sum = 0;
        for (int j = 0; j < n; j += CHUNK) {
            int len = Math.min(CHUNK, n - j);
            decode(w, byteOffset + 2L * j, scratch, 0, len);
            sum += VectorOps.dot(scratch, 0, x, xo + j, len);
        }
        return sum;
    }

    /** dst[dstOff + j] = w[j] for j < n; kept a simple counted loop so C2 vectorizes it. */
    static void decode(MemorySegment w, long byteOffset, float[] dst, int dstOff, int n) {
        for (int j = 0; j < n; j++) dst[dstOff + j] = Float.float16ToFloat(w.get(Tensor.I16_LE, byteOffset + 2L * j));
    }
}
