package dev.t2.io;

/**
 * One entry of a GGUF tensor table. {@code ggufDimensions} are as stored (ne0 = innermost first);
 * {@link #shape()} is the row-major Hugging Face order t2 uses. {@code offset} is relative to the data section.
 */
public record GgufTensorInfo(String name, long[] ggufDimensions, GgmlType type, long offset, long byteSize) {

    public GgufTensorInfo {
        ggufDimensions = ggufDimensions.clone();
    }

    @Override
    public long[] ggufDimensions() {
        return ggufDimensions.clone();
    }

    /** Row-major shape: GGUF's dimensions reversed, so a [n_embd, n_vocab] GGUF matrix is [vocab, embd]. */
    public long[] shape() {
        long[] shape = new long[ggufDimensions.length];
        for (int i = 0; i < shape.length; i++) shape[i] = ggufDimensions[shape.length - 1 - i];
        return shape;
    }

    public long elementCount() {
        long n = 1;
        for (long d : ggufDimensions) n *= d;
        return n;
    }
}
