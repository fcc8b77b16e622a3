package dev.t2.tensor;

/** Element types of stored weights. Quantized types are stored in blocks of {@link #blockSize} elements. */
public enum DType {
    F32(1, 4),
    F16(1, 2),
    BF16(1, 2),
    /** GGML Q8_0: per 32 elements one f16 scale then 32 signed bytes. */
    Q8_0(32, 34),
    /** GGML Q4_0: per 32 elements one f16 scale then 16 bytes of 4-bit values (offset 8). */
    Q4_0(32, 18);

    public final int blockSize;
    public final int blockBytes;

    DType(int blockSize, int blockBytes) {
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /** Bytes needed for {@code elements} values; quantized types need a whole number of blocks. */
    public long byteSize(long elements) {
        if (elements % blockSize != 0) {
            throw new IllegalArgumentException(this + " needs a multiple of " + blockSize + " elements, got " + elements);
        }
        return elements / blockSize * blockBytes;
    }

    public boolean isQuantized() {
        return blockSize > 1;
    }

    /** Parses the dtype names used by safetensors headers ("F32", "BF16", "F16"). */
    public static DType fromSafetensors(String name) {
        return switch (name) {
            case "F32" -> F32;
            case "F16" -> F16;
            case "BF16" -> BF16;
            default -> throw new IllegalArgumentException("unsupported safetensors dtype '" + name + "' (supported: F32, F16, BF16)");
        };
    }

    public String safetensorsName() {
        if (isQuantized()) {
            throw new IllegalArgumentException(this + " cannot be stored in safetensors");
        }
        return name();
    }
}
