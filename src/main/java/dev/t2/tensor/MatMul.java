package dev.t2.tensor;

/**
 * Matrix products against stored weights, the hot loop of inference: out[b, o] = Σ_i w[o, i] · x[b, i].
 * x is [batch, in] row-major, out is [batch, out] row-major. Parallel over output rows.
 */
public final class MatMul {
    private MatMul() {}

    public static void matmul(Tensor w, float[] x, float[] out, int batch) {
        int rows = w.rows(), cols = w.cols();
        if (x.length < (long) batch * cols || out.length < (long) batch * rows) {
            throw new IllegalArgumentException("matmul " + w.describe() + ": x has " + x.length
                    + " floats, out " + out.length + ", batch " + batch);
        }
        Parallel.forChunks(rows, 16, (from, to) -> {
            for (int o = from; o < to; o++) {
                long base = (long) o * cols;
                for (int b = 0; b < batch; b++) {
                    float sum = 0;
                    int xo = b * cols;
                    for (int i = 0; i < cols; i++) sum += w.getFloat(base + i) * x[xo + i];
                    out[b * rows + o] = sum;
                }
            }
        });
    }
}
