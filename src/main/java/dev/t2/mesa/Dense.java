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
        float[] wT = new float[in * cols]; // axpy over rows of wᵀ: independent adds instead of one serial dot per output
        for (int c = 0; c < cols; c++) for (int j = 0; j < in; j++) wT[j * cols + c] = w[c * in + j];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < in; j++) HeadView.axpy(x[r * in + j], wT, j * cols, out, r * cols, cols);
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
