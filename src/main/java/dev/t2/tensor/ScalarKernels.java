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
}
