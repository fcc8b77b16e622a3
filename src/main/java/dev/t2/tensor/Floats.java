package dev.t2.tensor;

/** Scalar conversions between f32 and the 16-bit float formats. */
public final class Floats {
    private Floats() {}

    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** Round-to-nearest-even, as PyTorch does when casting to bfloat16; NaN stays NaN. */
    public static short toBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return (short) ((bits >>> 16) | 0x40);
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    /** The value f becomes after a round trip through bf16. */
    public static float roundBf16(float f) {
        return bf16ToFloat(toBf16(f));
    }
}
