package dev.t2.mesa;

/**
 * Regularised least squares in context: at each t, Φ_t = argmin ½Σ_{i≤t}‖s_i − Φ s_{i−1}‖² + (1/2λ)‖Φ‖² (only
 * s_0 … s_t are used) and the prediction Φ_t s_t = S_t A_t⁻¹ s_t with A_t = Σ s_{i−1}s_{i−1}ᵀ + I/λ,
 * S_t = Σ s_i s_{i−1}ᵀ; solved directly (Cholesky) at every t.
 */
public final class LeastSquaresBaseline {
    public record Result(double lambda, double loss) {}

    /** λ values the best one is picked from (the loss is flat for large λ, where ridge becomes min-norm least squares). */
    public static final double[] LAMBDA_GRID = {0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000, 1e4};

    private LeastSquaresBaseline() {}

    /** The preconditioned input A_t⁻¹ s_t for every t of sequence b, [length, dim]. */
    public static double[] preconditioned(Sequences s, int b, double lambda) {
        return solve(s, b, lambda, false);
    }

    /** The least-squares predictions of s_{t+1} for every t of sequence b, [length, dim]. */
    public static double[] predictions(Sequences s, int b, double lambda) {
        return solve(s, b, lambda, true);
    }

    private static double[] solve(Sequences s, int b, double lambda, boolean predict) {
        if (!(lambda > 0)) throw new IllegalArgumentException("λ must be positive, got " + lambda);
        int d = s.dim(), len = s.length();
        double[] a = new double[d * d], cross = new double[d * d], out = new double[len * d], query = new double[d];
        for (int j = 0; j < d; j++) a[j * d + j] = 1 / lambda;
        for (int t = 0; t < len; t++) {
            if (t > 0) {
                for (int r = 0; r < d; r++) {
                    for (int c = 0; c < d; c++) {
                        a[r * d + c] += (double) s.state(b, t - 1, r) * s.state(b, t - 1, c);
                        cross[r * d + c] += (double) s.state(b, t, r) * s.state(b, t - 1, c);
                    }
                }
            }
            for (int j = 0; j < d; j++) query[j] = s.state(b, t, j);
            double[] x = SymmetricSolve.solve(a, d, query);
            for (int r = 0; r < d; r++) {
                double v = 0;
                if (predict) for (int c = 0; c < d; c++) v += cross[r * d + c] * x[c];
                out[t * d + r] = predict ? v : x[r];
            }
        }
        return out;
    }

    public static double loss(Sequences s, double lambda) {
        double sum = 0;
        for (int b = 0; b < s.batch(); b++) {
            double[] p = predictions(s, b, lambda);
            for (int t = 0; t < s.length(); t++) {
                for (int j = 0; j < s.dim(); j++) {
                    double diff = p[t * s.dim() + j] - s.state(b, t + 1, j);
                    sum += diff * diff;
                }
            }
        }
        return sum / (2.0 * s.batch() * s.length());
    }

    /** The best λ of {@link #LAMBDA_GRID} on {@code s}. */
    public static Result best(Sequences s) {
        Result best = null;
        for (double lambda : LAMBDA_GRID) {
            double l = loss(s, lambda);
            if (best == null || l < best.loss()) best = new Result(lambda, l);
        }
        return best;
    }
}
