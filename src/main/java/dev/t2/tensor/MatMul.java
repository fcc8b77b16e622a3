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

    /** dx[b, i] = Σ_o w[o, i] · dy[b, o] (placeholder until the vector kernels land). */
    public static void matmulTransposed(Tensor w, float[] dy, float[] dx, int batch) {
        int rows = w.rows(), cols = w.cols();
        Parallel.forChunks(cols, 16, (from, to) -> {
            for (int b = 0; b < batch; b++) {
                for (int i = from; i < to; i++) {
                    float sum = 0;
                    for (int o = 0; o < rows; o++) sum += w.getFloat((long) o * cols + i) * dy[b * rows + o];
                    dx[b * cols + i] = sum;
                }
            }
        });
    }

    /** out = a · B or a · bᵀ in f32 (placeholder until the vector kernels land). */
    public static void matmulF32(float[] a, int aRows, int inner, float[] b, boolean bTransposed, float[] out) {
        int n = b.length / inner;
        Parallel.forChunks(aRows, 1, (from, to) -> {
            for (int r = from; r < to; r++) {
                for (int j = 0; j < n; j++) {
                    float sum = 0;
                    for (int k = 0; k < inner; k++) sum += a[r * inner + k] * (bTransposed ? b[j * inner + k] : b[k * n + j]);
                    out[r * n + j] = sum;
                }
            }
        });
    }
}
