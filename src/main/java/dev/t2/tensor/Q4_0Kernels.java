package dev.t2.tensor;

import static dev.t2.tensor.Species.B;
import static dev.t2.tensor.Species.B_PARTS;
import static dev.t2.tensor.Species.F;
import static dev.t2.tensor.Species.I;
import static dev.t2.tensor.Species.L;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Dot products and decoding of GGML Q4_0 weights (blocks of 32: one f16 scale, 16 bytes whose low nibbles are
 * elements 0..15 and high nibbles elements 16..31, each stored +8), dequantized in registers. Offsets and lengths
 * must cover whole blocks.
 */
final class Q4_0Kernels {
    private Q4_0Kernels() {}

    static final int BLOCK = 32, BLOCK_BYTES = 18;

    /**
     * Σ_{j<n} w[j] · x[xo + j], with the first block of w at {@code byteOffset}; n is a multiple of 32. The nibbles
     * are separated after widening to 32-bit lanes (cheaper than byte-lane shifts) and each weight is formed as
     * fma(q, scale, -8·scale): one rounding of (q - 8)·scale, bit-identical to the scalar decode, and no integer
     * subtract. The block body is written out rather than called: a vector passed to a method C2 does not inline
     * gets boxed.
     */
    static float dot(MemorySegment w, long byteOffset, float[] x, int xo, int n) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        for (int b = 0, blocks = n / BLOCK; b < blocks; b++) {
            long p = byteOffset + (long) BLOCK_BYTES * b;
            int xi = xo + BLOCK * b;
            float d = Float.float16ToFloat(w.get(Tensor.I16_LE, p));
            FloatVector scale = FloatVector.broadcast(F, d), offset = FloatVector.broadcast(F, -8 * d);
            for (int j = 0; j < BLOCK / 2; j += B.length()) {
                ByteVector packed = ByteVector.fromMemorySegment(B, w, p + 2 + j, ByteOrder.LITTLE_ENDIAN);
                for (int part = 0; part < B_PARTS; part++) {
                    IntVector wide = (IntVector) packed.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, part);
                    FloatVector low = (FloatVector) wide.and(0x0F).convert(VectorOperators.I2F, 0);
                    FloatVector high = (FloatVector) wide.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0);
                    int xj = xi + j + part * L;
                    a0 = low.fma(scale, offset).fma(FloatVector.fromArray(F, x, xj), a0);
                    a1 = high.fma(scale, offset).fma(FloatVector.fromArray(F, x, xj + BLOCK / 2), a1);
                }
            }
        }
        return Species.sum(a0.add(a1));
    }

    /** dst[dstOff + j] = w[j] for j < n, n a multiple of 32. */
    static void decode(MemorySegment w, long byteOffset, float[] dst, int dstOff, int n) {
        for (int b = 0; b < n / BLOCK; b++) {
            long p = byteOffset + (long) BLOCK_BYTES * b;
            FloatVector scale = FloatVector.broadcast(F, Float.float16ToFloat(w.get(Tensor.I16_LE, p)));
            int d = dstOff + BLOCK * b;
            for (int j = 0; j < BLOCK / 2; j += B.length()) {
                ByteVector packed = ByteVector.fromMemorySegment(B, w, p + 2 + j, ByteOrder.LITTLE_ENDIAN);
                for (int part = 0; part < B_PARTS; part++) {
                    IntVector wide = (IntVector) packed.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, part);
                    FloatVector low = (FloatVector) wide.and(0x0F).sub(8).convert(VectorOperators.I2F, 0);
                    FloatVector high = (FloatVector) wide.lanewise(VectorOperators.LSHR, 4).sub(8).convert(VectorOperators.I2F, 0);
                    low.mul(scale).intoArray(dst, d + j + part * L);
                    high.mul(scale).intoArray(dst, d + BLOCK / 2 + j + part * L);
                }
            }
        }
    }
}
