package dev.t2.tensor;

/** Slow, obviously-correct kernels: the reference every fast kernel is tested against. */
public final class ScalarKernels {
    private ScalarKernels() {}

    /** out[b, o] = Σ_i w[o, i] · x[b, i] with x [batch, in] and out [batch, out], accumulated in double. */
    public static void matmul(Tensor w, float[] x, float[] out, int batch) {
        int rows = w.rows(), cols = w.cols();
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < rows; o++) {
                double sum = 0;
                long base = (long) o * cols;
                for (int i = 0; i < cols; i++) sum += (double) w.getFloat(base + i) * x[b * cols + i];
                out[b * rows + o] = (float) sum;
            }
        }
    }

    /** dx[b, i] = Σ_o w[o, i] · dy[b, o] with dy [batch, out] and dx [batch, in], accumulated in double. */
    public static void matmulTransposed(Tensor w, float[] dy, float[] dx, int batch) {
        int rows = w.rows(), cols = w.cols();
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < cols; i++) {
                double sum = 0;
                for (int o = 0; o < rows; o++) sum += (double) w.getFloat((long) o * cols + i) * dy[b * rows + o];
                dx[b * cols + i] = (float) sum;
            }
        }
    }

    /** out = a · B (or a · bᵀ), shapes as {@link MatMul#matmulF32}, accumulated in double. */
    public static void matmulF32(float[] a, int aRows, int inner, float[] b, boolean bTransposed, float[] out) {
        int n = b.length / inner;
        for (int r = 0; r < aRows; r++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int k = 0; k < inner; k++) {
                    sum += (double) a[r * inner + k] * (bTransposed ? b[j * inner + k] : b[k * n + j]);
                }
                out[r * n + j] = (float) sum;
            }
        }
    }

    public static float dot(float[] a, int ao, float[] b, int bo, int n) {
        double sum = 0;
        for (int j = 0; j < n; j++) sum += (double) a[ao + j] * b[bo + j];
        return (float) sum;
    }

    public static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        for (int j = 0; j < n; j++) y[yo + j] = (float) (y[yo + j] + (double) alpha * x[xo + j]);
    }

    public static void add(float[] x, int xo, float[] y, int yo, int n) {
        for (int j = 0; j < n; j++) y[yo + j] += x[xo + j];
    }

    public static void mul(float[] x, int xo, float[] y, int yo, int n) {
        for (int j = 0; j < n; j++) y[yo + j] *= x[xo + j];
    }

    public static void scale(float alpha, float[] x, int xo, int n) {
        for (int j = 0; j < n; j++) x[xo + j] *= alpha;
    }

    public static void rmsNorm(float[] out, int oo, float[] x, int xo, Tensor weight, float eps, int n) {
        double ss = 0;
        for (int j = 0; j < n; j++) ss += (double) x[xo + j] * x[xo + j];
        double inv = 1.0 / Math.sqrt(ss / n + eps);
        for (int j = 0; j < n; j++) out[oo + j] = (float) (x[xo + j] * inv * weight.getFloat(j));
    }
}
