package dev.t2.tensor;

import java.lang.foreign.MemorySegment;

/**
 * ggml's reference quantizers (quantize_row_q8_0_ref, quantize_row_q4_0_ref), bit for bit, so files we write
 * hold exactly the bytes llama.cpp would write for the same floats.
 */
public final class Quantize {
    private Quantize() {}

    private static final int BLOCK = 32;

    /** Q8_0: per block of 32, d = amax/127 stored as f16, q = round(x/d) as int8 (round half away from zero). */
    public static byte[] q8_0(float[] values) {
        requireBlocks(values.length);
        byte[] out = new byte[values.length / BLOCK * DType.Q8_0.blockBytes];
        for (int b = 0, base = 0; b < values.length / BLOCK; b++, base += DType.Q8_0.blockBytes) {
            float amax = 0;
            for (int j = 0; j < BLOCK; j++) amax = Math.max(amax, Math.abs(values[b * BLOCK + j]));
            float d = amax / 127;
            float id = d != 0 ? 1.0f / d : 0.0f;
            putF16(out, base, d);
            for (int j = 0; j < BLOCK; j++) {
                out[base + 2 + j] = (byte) roundHalfAwayFromZero(values[b * BLOCK + j] * id);
            }
        }
        return out;
    }

    /**
     * Q4_0: per block of 32, the value of largest magnitude (sign kept) gives d = max / -8 (stored as f16);
     * q = min(15, (int) (x/d + 8.5)); element j and j+16 share byte j (low and high nibble).
     */
    public static byte[] q4_0(float[] values) {
        requireBlocks(values.length);
        byte[] out = new byte[values.length / BLOCK * DType.Q4_0.blockBytes];
        for (int b = 0, base = 0; b < values.length / BLOCK; b++, base += DType.Q4_0.blockBytes) {
            float amax = 0, max = 0;
            for (int j = 0; j < BLOCK; j++) {
                float v = values[b * BLOCK + j];
                if (amax < Math.abs(v)) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -8;
            float id = d != 0 ? 1.0f / d : 0.0f;
            putF16(out, base, d);
            for (int j = 0; j < BLOCK / 2; j++) {
                int low = Math.min(15, (int) (values[b * BLOCK + j] * id + 8.5f));
                int high = Math.min(15, (int) (values[b * BLOCK + BLOCK / 2 + j] * id + 8.5f));
                out[base + 2 + j] = (byte) (low | high << 4);
            }
        }
        return out;
    }

    /** A heap tensor of {@code values} in any dtype, quantized ones included. */
    public static Tensor encode(String name, DType dtype, float[] values, long... shape) {
        return switch (dtype) {
            case Q8_0 -> new Tensor(name, dtype, shape, MemorySegment.ofArray(q8_0(values)));
            case Q4_0 -> new Tensor(name, dtype, shape, MemorySegment.ofArray(q4_0(values)));
            default -> Tensor.encode(name, dtype, values, shape);
        };
    }

    /** C's roundf; Math.round would round -2.5 to -2 where ggml gets -3. Exact in double for any float. */
    private static int roundHalfAwayFromZero(float x) {
        return (int) Math.copySign(Math.floor(Math.abs((double) x) + 0.5), x);
    }

    private static void putF16(byte[] out, int at, float value) {
        short bits = Float.floatToFloat16(value);
        out[at] = (byte) bits;
        out[at + 1] = (byte) (bits >> 8);
    }

    private static void requireBlocks(int length) {
        if (length % BLOCK != 0) throw new IllegalArgumentException("quantizing needs a multiple of " + BLOCK + " values, got " + length);
    }
}
