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

    /**
     * Σ_{j<n} w[j] · x[xo + j], with the first block of w at {@code byteOffset}; n is a multiple of 32. Each
     * widened vector is scaled, then accumulated; two blocks per step go to separate accumulators. The block body
     * is written out twice rather than called: a vector passed to a method C2 does not inline gets boxed.
     */
    static float dot(MemorySegment w, long byteOffset, float[] x, int xo, int n) {
        int blocks = n / BLOCK;
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        int b = 0;
        for (; b + 1 < blocks; b += 2) {
            long p = byteOffset + (long) BLOCK_BYTES * b;
            int xi = xo + BLOCK * b;
            FloatVector s0 = FloatVector.broadcast(F, Float.float16ToFloat(w.get(Tensor.I16_LE, p)));
            FloatVector s1 = FloatVector.broadcast(F, Float.float16ToFloat(w.get(Tensor.I16_LE, p + BLOCK_BYTES)));
            for (int j = 0; j < BLOCK; j += B.length()) {
                ByteVector q0 = ByteVector.fromMemorySegment(B, w, p + 2 + j, ByteOrder.LITTLE_ENDIAN);
                ByteVector q1 = ByteVector.fromMemorySegment(B, w, p + BLOCK_BYTES + 2 + j, ByteOrder.LITTLE_ENDIAN);
                for (int part = 0; part < B_PARTS; part++) {
                    int xj = xi + j + part * L;
                    a0 = ((FloatVector) q0.castShape(F, part)).mul(s0).fma(FloatVector.fromArray(F, x, xj), a0);
                    a1 = ((FloatVector) q1.castShape(F, part)).mul(s1).fma(FloatVector.fromArray(F, x, xj + BLOCK), a1);
                }
            }
        }
        if (b < blocks) {
            long p = byteOffset + (long) BLOCK_BYTES * b;
            FloatVector s0 = FloatVector.broadcast(F, Float.float16ToFloat(w.get(Tensor.I16_LE, p)));
            for (int j = 0; j < BLOCK; j += B.length()) {
                ByteVector q0 = ByteVector.fromMemorySegment(B, w, p + 2 + j, ByteOrder.LITTLE_ENDIAN);
                for (int part = 0; part < B_PARTS; part++) {
                    a0 = ((FloatVector) q0.castShape(F, part)).mul(s0).fma(FloatVector.fromArray(F, x, xo + BLOCK * b + j + part * L), a0);
                }
            }
        }
        return a0.add(a1).reduceLanes(VectorOperators.ADD);
    }

    /** dst[dstOff + j] = w[j] for j < n, n a multiple of 32. */
    static void decode(MemorySegment w, long byteOffset, float[] dst, int dstOff, int n) {
        for (int b = 0; b < n / BLOCK; b++) {
            long p = byteOffset + (long) BLOCK_BYTES * b;
            FloatVector scale = FloatVector.broadcast(F, Float.float16ToFloat(w.get(Tensor.I16_LE, p)));
            for (int j = 0; j < BLOCK; j += B.length()) {
                ByteVector q = ByteVector.fromMemorySegment(B, w, p + 2 + j, ByteOrder.LITTLE_ENDIAN);
                for (int part = 0; part < B_PARTS; part++) {
                    ((FloatVector) q.castShape(F, part)).mul(scale).intoArray(dst, dstOff + BLOCK * b + j + part * L);
                }
            }
        }
    }
}
