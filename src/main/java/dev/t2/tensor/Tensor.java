package dev.t2.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A stored tensor: a name, a dtype, a row-major shape and the bytes, usually a view into a memory-mapped
 * checkpoint. Weights stay in their dtype; kernels read them directly.
 * Matrices follow the Hugging Face layout [out, in]: row o holds the weights feeding output o.
 */
public record Tensor(String name, DType dtype, long[] shape, MemorySegment data) {

    static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public Tensor {
        shape = shape.clone();
        long expected = dtype.byteSize(elementCount(shape));
        if (data.byteSize() != expected) {
            throw new IllegalArgumentException("tensor '" + name + "': " + dtype + Arrays.toString(shape)
                    + " needs " + expected + " bytes, has " + data.byteSize());
        }
    }

    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** A fresh heap-backed f32 tensor (for tests, small models and converted weights). */
    public static Tensor ofFloats(String name, float[] values, long... shape) {
        MemorySegment seg = MemorySegment.ofArray(new byte[values.length * 4]);
        for (int i = 0; i < values.length; i++) seg.set(F32_LE, 4L * i, values[i]);
        return new Tensor(name, DType.F32, shape, seg);
    }

    /** Encodes f32 values into the given (non-quantized) dtype, heap-backed. */
    public static Tensor encode(String name, DType dtype, float[] values, long... shape) {
        MemorySegment seg = MemorySegment.ofArray(new byte[Math.toIntExact(dtype.byteSize(values.length))]);
        for (int i = 0; i < values.length; i++) {
            switch (dtype) {
                case F32 -> seg.set(F32_LE, 4L * i, values[i]);
                case F16 -> seg.set(I16_LE, 2L * i, Float.floatToFloat16(values[i]));
                case BF16 -> seg.set(I16_LE, 2L * i, Floats.toBf16(values[i]));
                default -> throw new IllegalArgumentException("encode to " + dtype + " is not supported");
            }
        }
        return new Tensor(name, dtype, shape, seg);
    }

    public long size() {
        return elementCount(shape);
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return Math.toIntExact(shape[i]);
    }

    /** Rows of a matrix (first dimension); a vector is one row. */
    public int rows() {
        return shape.length == 1 ? 1 : Math.toIntExact(shape[0]);
    }

    /** Columns of a matrix (product of the remaining dimensions). */
    public int cols() {
        return shape.length == 1 ? Math.toIntExact(shape[0]) : Math.toIntExact(size() / shape[0]);
    }

    /** Reads element {@code i} (flat row-major index) as a float. Slow path: for references and tests. */
    public float getFloat(long i) {
        return switch (dtype) {
            case F32 -> data.get(F32_LE, 4 * i);
            case F16 -> Float.float16ToFloat(data.get(I16_LE, 2 * i));
            case BF16 -> Floats.bf16ToFloat(data.get(I16_LE, 2 * i));
            case Q8_0 -> {
                long block = i / 32, base = block * 34;
                float scale = Float.float16ToFloat(data.get(I16_LE, base));
                yield scale * data.get(ValueLayout.JAVA_BYTE, base + 2 + (i % 32));
            }
            case Q4_0 -> {
                long block = i / 32, base = block * 18;
                float scale = Float.float16ToFloat(data.get(I16_LE, base));
                int j = (int) (i % 32);
                int packed = data.get(ValueLayout.JAVA_BYTE, base + 2 + (j & 15)) & 0xFF;
                int q = j < 16 ? (packed & 0x0F) : (packed >>> 4);
                yield scale * (q - 8);
            }
        };
    }

    /** All elements as f32 (copies; only for small tensors such as norms and biases). */
    public float[] toFloatArray() {
        float[] out = new float[Math.toIntExact(size())];
        for (int i = 0; i < out.length; i++) out[i] = getFloat(i);
        return out;
    }

    /** Row {@code r} of a matrix as f32 (used for embedding lookup). */
    public void readRow(int r, float[] out, int outOffset) {
        int cols = cols();
        long base = (long) r * cols;
        for (int c = 0; c < cols; c++) out[outOffset + c] = getFloat(base + c);
    }

    /** A copy in another (non-quantized) dtype, off-heap so large tensors fit; this tensor if already in it. */
    public Tensor convertTo(DType target) {
        if (target == dtype) return this;
        if (target.isQuantized()) throw new IllegalArgumentException("quantizing " + name + " to " + target + " is not supported here");
        long n = size();
        MemorySegment out = java.lang.foreign.Arena.ofAuto().allocate(target.byteSize(n), 64);
        Parallel.forChunks(Math.toIntExact(Math.min(Integer.MAX_VALUE, (n + 4095) / 4096)), 1, (from, to) -> {
            for (long i = from * 4096L; i < Math.min(n, to * 4096L); i++) {
                float v = getFloat(i);
                switch (target) {
                    case F32 -> out.set(F32_LE, 4 * i, v);
                    case F16 -> out.set(I16_LE, 2 * i, Float.floatToFloat16(v));
                    case BF16 -> out.set(I16_LE, 2 * i, Floats.toBf16(v));
                    default -> throw new IllegalStateException();
                }
            }
        });
        return new Tensor(name, target, shape, out);
    }

    public Tensor withName(String newName) {
        return new Tensor(newName, dtype, shape, data);
    }

    public String describe() {
        return name + " " + dtype + Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return describe();
    }
}
