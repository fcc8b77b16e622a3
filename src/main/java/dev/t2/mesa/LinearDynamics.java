package dev.t2.mesa;

import java.util.SplittableRandom;

/**
 * The task of von Oswald et al.: s_{t+1} = W·s_t + ε with a fresh Haar-random orthogonal W per sequence,
 * s_0 ~ U(−1, 1)^dim and ε ~ N(0, noise²·I). A batch depends only on its seed.
 */
public record LinearDynamics(int dim, int length, double noise) {
    public static final LinearDynamics PAPER = new LinearDynamics(10, 50, 0.01);

    public LinearDynamics {
        if (dim <= 0 || length <= 0 || !(noise >= 0)) throw new IllegalArgumentException("need dim > 0, length > 0 and noise ≥ 0");
    }

    public Sequences sample(int batch, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] states = new float[batch * (length + 1) * dim];
        double[] w = new double[dim * dim], s = new double[dim], next = new double[dim];
        for (int b = 0; b < batch; b++) {
            randomOrthogonal(rnd, w);
            for (int i = 0; i < dim; i++) s[i] = rnd.nextDouble(-1, 1);
            int base = b * (length + 1) * dim;
            for (int t = 0; ; t++) {
                for (int i = 0; i < dim; i++) states[base + t * dim + i] = (float) s[i];
                if (t == length) break;
                for (int i = 0; i < dim; i++) {
                    double sum = 0;
                    for (int j = 0; j < dim; j++) sum += w[i * dim + j] * s[j];
                    next[i] = sum + noise * gaussian(rnd);
                }
                System.arraycopy(next, 0, s, 0, dim);
            }
        }
        return new Sequences(batch, length, dim, states);
    }

    /** Gram–Schmidt on Gaussian rows gives a Haar-distributed orthogonal matrix (QR with a positive diagonal of R). */
    static void randomOrthogonal(SplittableRandom rnd, double[] w) {
        int n = (int) Math.round(Math.sqrt(w.length));
        for (int r = 0; r < n; r++) {
            double norm;
            do {
                for (int c = 0; c < n; c++) w[r * n + c] = gaussian(rnd);
                for (int p = 0; p < r; p++) {
                    double dot = 0;
                    for (int c = 0; c < n; c++) dot += w[r * n + c] * w[p * n + c];
                    for (int c = 0; c < n; c++) w[r * n + c] -= dot * w[p * n + c];
                }
                norm = 0;
                for (int c = 0; c < n; c++) norm += w[r * n + c] * w[r * n + c];
            } while (norm < 1e-12); // a degenerate draw has probability zero, but repeat rather than divide by it
            double inv = 1 / Math.sqrt(norm);
            for (int c = 0; c < n; c++) w[r * n + c] *= inv;
        }
    }

    static double gaussian(SplittableRandom rnd) {
        double u1 = 1 - rnd.nextDouble(), u2 = rnd.nextDouble(); // Box–Muller; 1 − u keeps log away from 0
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
