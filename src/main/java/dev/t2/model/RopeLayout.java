package dev.t2.model;

import dev.t2.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * Converts q/k projection rows between the two rotary pair layouts: interleaved (Meta, llama2.c, GGUF-llama:
 * pairs (2i, 2i+1)) and rotate-half (Hugging Face: pairs (i, i + d/2)), as transformers' conversion script
 * permutes them. Rows are moved as raw bytes, so any dtype works and nothing is dequantized.
 */
public final class RopeLayout {
    private RopeLayout() {}

    /** Rows of an interleaved q/k matrix reordered into the rotate-half layout. */
    public static Tensor toRotateHalf(Tensor interleaved, int heads, int headDim) {
        return permuteRows(interleaved, heads, headDim, true);
    }

    /** Rows of a rotate-half q/k matrix (or bias vector) reordered into the interleaved layout. */
    public static Tensor toInterleaved(Tensor rotateHalf, int heads, int headDim) {
        return permuteRows(rotateHalf, heads, headDim, false);
    }

    private static Tensor permuteRows(Tensor t, int heads, int headDim, boolean toRotateHalf) {
        boolean vector = t.rank() == 1;
        int rows = vector ? t.dim(0) : t.rows();
        if (rows != heads * headDim) {
            throw new IllegalArgumentException(t.name() + ": " + rows + " rows, expected heads × head_dim = " + heads * headDim);
        }
        long rowBytes = t.data().byteSize() / rows;
        MemorySegment out = MemorySegment.ofArray(new byte[Math.toIntExact(t.data().byteSize())]);
        int half = headDim / 2;
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < half; i++) {
                for (int k = 0; k < 2; k++) {
                    int interleavedRow = h * headDim + 2 * i + k;
                    int rotateHalfRow = h * headDim + k * half + i;
                    int from = toRotateHalf ? interleavedRow : rotateHalfRow;
                    int to = toRotateHalf ? rotateHalfRow : interleavedRow;
                    MemorySegment.copy(t.data(), from * rowBytes, out, to * rowBytes, rowBytes);
                }
            }
        }
        return new Tensor(t.name(), t.dtype(), t.shape(), out);
    }
}
