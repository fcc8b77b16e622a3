package dev.t2.tensor;

import static dev.t2.tensor.Species.B;
import static dev.t2.tensor.Species.B_PARTS;
import static dev.t2.tensor.Species.F;
import static dev.t2.tensor.Species.L;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Dot products and decoding of GGML Q8_0 weights (blocks of 32: one f16 scale, 32 signed bytes), dequantized in
 * registers. Offsets and lengths must cover whole blocks.
 */
final class Q8_0Kernels {
    private Q8_0Kernels() {}

    static final int BLOCK = 32, BLOCK_BYTES = 34;

    /** Σ_{j<n} w[j] · x[xo + j], with the first block of w at {@code byteOffset}; n is a multiple of 32. */
    static float dot(MemorySegment w, long byteOffset, float[] x, int xo, int n) {
        int blocks = n / BLOCK;
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        int b = 0;
        // Two blocks per step into separate accumulators so consecutive blocks do not wait on each other.
        for (; b + 1 < blocks; b += 2) {
            a0 = block(w, byteOffset + (long) BLOCK_BYTES * b, x, xo + BLOCK * b, a0);
            a1 = block(w, byteOffset + (long) BLOCK_BYTES * (b + 1), x, xo + BLOCK * (b + 1), a1);
        }
        if (b < blocks) a0 = block(w, byteOffset + (long) BLOCK_BYTES * b, x, xo + BLOCK * b, a0);
        return a0.add(a1).reduceLanes(VectorOperators.ADD);
    }

    /** acc + (scale · q) · x for the block at {@code p}; scaling each widened vector measured faster than scaling sums. */
    private static FloatVector block(MemorySegment w, long p, float[] x, int xo, FloatVector acc) {
        FloatVector scale = FloatVector.broadcast(F, Float.float16ToFloat(w.get(Tensor.I16_LE, p)));
        for (int j = 0; j < BLOCK; j += B.length()) {
            ByteVector q = ByteVector.fromMemorySegment(B, w, p + 2 + j, ByteOrder.LITTLE_ENDIAN);
            for (int part = 0; part < B_PARTS; part++) {
                acc = widen(q, part).mul(scale).fma(FloatVector.fromArray(F, x, xo + j + part * L), acc);
            }
        }
        return acc;
    }

    /** Signed bytes to floats (sign-extend, convert). */
    private static FloatVector widen(ByteVector q, int part) {
        return (FloatVector) q.castShape(F, part);
    }

    /** dst[dstOff + j] = w[j] for j < n, n a multiple of 32. */
    static void decode(MemorySegment w, long byteOffset, float[] dst, int dstOff, int n) {
        for (int b = 0; b < n / BLOCK; b++) {
            long p = byteOffset + (long) BLOCK_BYTES * b;
            FloatVector scale = FloatVector.broadcast(F, Float.float16ToFloat(w.get(Tensor.I16_LE, p)));
            for (int j = 0; j < BLOCK; j += B.length()) {
                ByteVector q = ByteVector.fromMemorySegment(B, w, p + 2 + j, ByteOrder.LITTLE_ENDIAN);
                for (int part = 0; part < B_PARTS; part++) {
                    widen(q, part).mul(scale).intoArray(dst, dstOff + BLOCK * b + j + part * L);
                }
            }
        }
    }
}
