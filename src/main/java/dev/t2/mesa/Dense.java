package dev.t2.mesa;

/** The three small row-major products a layer's projections need (sizes here are tens, so plain loops). */
final class Dense {
    private Dense() {}

    /** out[r, c] = Σ_j x[r, j] · w[c, j]: x [rows, in] times wᵀ, w [cols, in]. */
    static void timesTransposed(float[] x, int rows, int in, float[] w, int cols, float[] out) {
        java.util.Arrays.fill(out, 0, rows * cols, 0f);
        addTimesTransposed(x, rows, in, w, cols, out);
    }

    static void addTimesTransposed(float[] x, int rows, int in, float[] w, int cols, float[] out) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) out[r * cols + c] += HeadView.dot(x, r * in, w, c * in, in);
        }
    }

    /** out[r, j] += Σ_c g[r, c] · w[c, j]: the reverse of {@link #timesTransposed} for its input. */
    static void addTimes(float[] g, int rows, int cols, float[] w, int in, float[] out) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) HeadView.axpy(g[r * cols + c], w, c * in, out, r * in, in);
        }
    }

    /** dw[c, j] += Σ_r g[r, c] · x[r, j]: the reverse of {@link #timesTransposed} for its weight. */
    static void addTransposedTimes(float[] g, int rows, int cols, float[] x, int in, float[] dw) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) HeadView.axpy(g[r * cols + c], x, r * in, dw, c * in, in);
        }
    }
}
