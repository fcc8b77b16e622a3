package dev.t2.model;

import dev.t2.tensor.MatMul;
import dev.t2.tensor.Parallel;

/** Gradient building blocks shared by the trainable parametrisations. */
public final class Gradients {
    private Gradients() {}

    /** grad[o, i] += Σ_r dy[r, o] · x[r, i]: dL/dW of y = W·x over all rows, as one GEMM dyᵀ·x. */
    public static void addOuterProducts(float[] dy, float[] x, int rows, int out, int in, float[] grad) {
        float[] dyT = new float[out * rows];
        Parallel.forChunks(out, 8, (from, to) -> {
            for (int r = 0; r < rows; r++) for (int o = from; o < to; o++) dyT[o * rows + r] = dy[r * out + o]; // reads run along dy's rows
        });
        float[] xs = x.length == rows * in ? x : java.util.Arrays.copyOf(x, rows * in);
        float[] product = new float[out * in];
        MatMul.matmulF32(dyT, out, rows, xs, false, product);
        for (int i = 0; i < product.length; i++) grad[i] += product[i];
    }
}
