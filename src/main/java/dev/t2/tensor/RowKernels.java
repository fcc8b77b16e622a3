package dev.t2.tensor;

/**
 * Dtype dispatch for the vectorized row kernels: dot products against, and f32 decoding of, a run of stored
 * weights. A run starts at flat element {@code start} of the tensor; for quantized dtypes start and length must be
 * whole blocks (GGML rows always are).
 */
final class RowKernels {
    private RowKernels() {}

    /** Copies x into the layout {@link #dot} expects for this dtype (bf16 reads weights in pairs, so x is split). */
    static void prepare(DType dtype, float[] x, int xo, int n, float[] dst, int dstOff) {
        if (dtype == DType.BF16) Bf16Kernels.splitEvenOdd(x, xo, n, dst, dstOff);
        else System.arraycopy(x, xo, dst, dstOff, n);
    }

    /**
     * Length of the per-thread scratch buffer {@link #dot} and {@link #dot8} need for this dtype: f16 decodes runs of
     * eight rows into it, the others read their weights directly (and a decode step should not allocate what it never
     * touches: a token calls these a couple of hundred times per core).
     */
    static int scratchSize(DType dtype) {
        return dtype == DType.F16 ? 8 * F16Kernels.CHUNK : 0;
    }

    /** Σ_{j<n} w[start + j] · x[j], with x as {@link #prepare} laid it out at {@code px[pxo]}. */
    static float dot(Tensor w, long start, float[] px, int pxo, int n, float[] scratch) {
        long at = w.dtype().byteSize(start);
        return switch (w.dtype()) {
            case F32 -> F32Kernels.dot(w.data(), at, px, pxo, n);
            case BF16 -> Bf16Kernels.dot(w.data(), at, px, pxo, n);
            case F16 -> F16Kernels.dot(w.data(), at, px, pxo, n, scratch);
            case Q8_0 -> Q8_0Kernels.dot(w.data(), at, px, pxo, n);
            case Q4_0 -> Q4_0Kernels.dot(w.data(), at, px, pxo, n);
        };
    }

    /** Rows {@link #dot8} reads side by side. */
    static final int STREAMS = 8;

    /**
     * out[o0 + r·outStride] = the dot product of the run at start + r·stride with x, for r < 8: eight rows read side
     * by side, so one thread keeps eight memory streams going (measured on one core: 1 stream 63%, 4 streams 84%,
     * 8 streams 93% of a plain summing loop's bandwidth), and each load of x serves eight rows. Q4_0 is
     * compute-bound (unpacking nibbles); eight rows side by side measured no faster, so it takes one at a time.
     */
    static void dot8(Tensor w, long start, long stride, float[] px, int pxo, int n, float[] scratch, float[] out,
                     int o0, int outStride) {
        DType t = w.dtype();
        switch (t) {
            case F32 -> F32Kernels.dot8(w.data(), t.byteSize(start), t.byteSize(stride), px, pxo, n, out, o0, outStride);
            case BF16 -> Bf16Kernels.dot8(w.data(), t.byteSize(start), t.byteSize(stride), px, pxo, n, out, o0, outStride);
            case Q8_0 -> Q8_0Kernels.dot8(w.data(), t.byteSize(start), t.byteSize(stride), px, pxo, n, out, o0, outStride);
            case F16 -> F16Kernels.dot8(w.data(), t.byteSize(start), t.byteSize(stride), px, pxo, n, out, o0, outStride,
                    scratch);
            default -> {
                for (int r = 0; r < STREAMS; r++) out[o0 + r * outStride] = dot(w, start + r * stride, px, pxo, n, scratch);
            }
        }
    }

    /** dst[dstOff + j] = w[start + j] for j < n. */
    static void decode(Tensor w, long start, float[] dst, int dstOff, int n) {
        long at = w.dtype().byteSize(start);
        switch (w.dtype()) {
            case F32 -> F32Kernels.decode(w.data(), at, dst, dstOff, n);
            case BF16 -> Bf16Kernels.decode(w.data(), at, dst, dstOff, n);
            case F16 -> F16Kernels.decode(w.data(), at, dst, dstOff, n);
            case Q8_0 -> Q8_0Kernels.decode(w.data(), at, dst, dstOff, n);
            case Q4_0 -> Q4_0Kernels.decode(w.data(), at, dst, dstOff, n);
        }
    }

    /** Quantized rows must start on a block boundary, so the column count must be whole blocks. */
    static void requireWholeBlocks(Tensor w) {
        if (w.cols() % w.dtype().blockSize != 0) {
            throw new IllegalArgumentException(w.describe() + ": rows of " + w.cols() + " columns are not whole "
                    + w.dtype() + " blocks of " + w.dtype().blockSize);
        }
    }
}
