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
     * Σ_{j<n} w[j] · x[xo + j], with the first block of w at {@code byteOffset}; n is a multiple of 32. Each block's
     * q·x is summed unscaled and scaled once, in exactly {@link #dot8}'s order, so a row's result does not depend on
     * which of the two computed it (nor, through the way rows are split across threads, on the number of cores).
     */
    static float dot(MemorySegment w, long byteOffset, float[] x, int xo, int n) {
        FloatVector a = FloatVector.zero(F);
        for (int b = 0, blocks = n / BLOCK; b < blocks; b++) {
            long p = byteOffset + (long) BLOCK_BYTES * b;
            int xi = xo + BLOCK * b;
            FloatVector d = FloatVector.zero(F);
            for (int j = 0; j < BLOCK; j += B.length()) {
                ByteVector q = ByteVector.fromMemorySegment(B, w, p + 2 + j, ByteOrder.LITTLE_ENDIAN);
                for (int part = 0; part < B_PARTS; part++) {
                    d = ((FloatVector) q.castShape(F, part)).fma(FloatVector.fromArray(F, x, xi + j + part * L), d);
                }
            }
            a = d.fma(FloatVector.broadcast(F, Float.float16ToFloat(w.get(Tensor.I16_LE, p))), a);
        }
        return Species.sum(a);
    }

    /**
     * Eight dot products at once: rows at byte offsets p0 + r·stride into out[o0 + r·outStride], r < 8. Eight rows
     * far apart in memory are eight independent streams, and each load of x serves all of them.
     */
    static void dot8(MemorySegment w, long p0, long stride, float[] x, int xo, int n, float[] out, int o0,
                     int outStride) {
        FloatVector z = FloatVector.zero(F);
        FloatVector a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
        for (int b = 0, blocks = n / BLOCK; b < blocks; b++) {
            long p = p0 + (long) BLOCK_BYTES * b;
            int xi = xo + BLOCK * b;
            FloatVector d0 = z, d1 = z, d2 = z, d3 = z, d4 = z, d5 = z, d6 = z, d7 = z;
            for (int j = 0; j < BLOCK; j += B.length()) {
                for (int part = 0; part < B_PARTS; part++) {
                    FloatVector xv = FloatVector.fromArray(F, x, xi + j + part * L);
                    long q = p + 2 + j;
                    d0 = ((FloatVector) ByteVector.fromMemorySegment(B, w, q, ByteOrder.LITTLE_ENDIAN)
                            .castShape(F, part)).fma(xv, d0);
                    d1 = ((FloatVector) ByteVector.fromMemorySegment(B, w, q + stride, ByteOrder.LITTLE_ENDIAN)
                            .castShape(F, part)).fma(xv, d1);
                    d2 = ((FloatVector) ByteVector.fromMemorySegment(B, w, q + 2 * stride, ByteOrder.LITTLE_ENDIAN)
                            .castShape(F, part)).fma(xv, d2);
                    d3 = ((FloatVector) ByteVector.fromMemorySegment(B, w, q + 3 * stride, ByteOrder.LITTLE_ENDIAN)
                            .castShape(F, part)).fma(xv, d3);
                    d4 = ((FloatVector) ByteVector.fromMemorySegment(B, w, q + 4 * stride, ByteOrder.LITTLE_ENDIAN)
                            .castShape(F, part)).fma(xv, d4);
                    d5 = ((FloatVector) ByteVector.fromMemorySegment(B, w, q + 5 * stride, ByteOrder.LITTLE_ENDIAN)
                            .castShape(F, part)).fma(xv, d5);
                    d6 = ((FloatVector) ByteVector.fromMemorySegment(B, w, q + 6 * stride, ByteOrder.LITTLE_ENDIAN)
                            .castShape(F, part)).fma(xv, d6);
                    d7 = ((FloatVector) ByteVector.fromMemorySegment(B, w, q + 7 * stride, ByteOrder.LITTLE_ENDIAN)
                            .castShape(F, part)).fma(xv, d7);
                }
            }
            a0 = d0.fma(FloatVector.broadcast(F, Float.float16ToFloat(w.get(Tensor.I16_LE, p))), a0);
            a1 = d1.fma(FloatVector.broadcast(F, Float.float16ToFloat(w.get(Tensor.I16_LE, p + stride))), a1);
            a2 = d2.fma(FloatVector.broadcast(F, Float.float16ToFloat(w.get(Tensor.I16_LE, p + 2 * stride))), a2);
            a3 = d3.fma(FloatVector.broadcast(F, Float.float16ToFloat(w.get(Tensor.I16_LE, p + 3 * stride))), a3);
            a4 = d4.fma(FloatVector.broadcast(F, Float.float16ToFloat(w.get(Tensor.I16_LE, p + 4 * stride))), a4);
            a5 = d5.fma(FloatVector.broadcast(F, Float.float16ToFloat(w.get(Tensor.I16_LE, p + 5 * stride))), a5);
            a6 = d6.fma(FloatVector.broadcast(F, Float.float16ToFloat(w.get(Tensor.I16_LE, p + 6 * stride))), a6);
            a7 = d7.fma(FloatVector.broadcast(F, Float.float16ToFloat(w.get(Tensor.I16_LE, p + 7 * stride))), a7);
        }
        out[o0] = Species.sum(a0);
        out[o0 + outStride] = Species.sum(a1);
        out[o0 + 2 * outStride] = Species.sum(a2);
        out[o0 + 3 * outStride] = Species.sum(a3);
        out[o0 + 4 * outStride] = Species.sum(a4);
        out[o0 + 5 * outStride] = Species.sum(a5);
        out[o0 + 6 * outStride] = Species.sum(a6);
        out[o0 + 7 * outStride] = Species.sum(a7);
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
