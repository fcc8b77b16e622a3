package dev.t2.mesa;

/**
 * One gradient-descent step from W = 0 on L_t(W) = ½Σ_{i≤t}‖s_i − W s_{i−1}‖² (s_{−1} = 0), applied to the query s_t:
 * prediction_t = η·Σ_{i≤t} s_i (s_{i−1}·s_t). The mean loss is quadratic in η, so the best η is exact, not searched.
 */
public final class GradientDescentBaseline {
    public record Result(double learningRate, double loss) {}

    private GradientDescentBaseline() {}

    /** The step direction Σ_{i≤t} s_i (s_{i−1}·s_t) for every t of sequence b, [length, dim], in double. */
    public static double[] direction(Sequences s, int b) {
        int d = s.dim(), len = s.length();
        double[] out = new double[len * d];
        for (int t = 0; t < len; t++) {
            for (int i = 1; i <= t; i++) {
                double dot = 0;
                for (int j = 0; j < d; j++) dot += (double) s.state(b, i - 1, j) * s.state(b, t, j);
                for (int j = 0; j < d; j++) out[t * d + j] += dot * s.state(b, i, j);
            }
        }
        return out;
    }

    /** The η minimising the mean loss on {@code s}, and that loss. */
    public static Result best(Sequences s) {
        double gy = 0, gg = 0, yy = 0;
        for (int b = 0; b < s.batch(); b++) {
            double[] g = direction(s, b);
            for (int t = 0; t < s.length(); t++) {
                for (int j = 0; j < s.dim(); j++) {
                    double gi = g[t * s.dim() + j], y = s.state(b, t + 1, j);
                    gy += gi * y;
                    gg += gi * gi;
                    yy += y * y;
                }
            }
        }
        double eta = gy / gg;
        return new Result(eta, (yy - 2 * eta * gy + eta * eta * gg) / (2.0 * s.batch() * s.length()));
    }

    public static double loss(Sequences s, double eta) {
        double sum = 0;
        for (int b = 0; b < s.batch(); b++) {
            double[] g = direction(s, b);
            for (int t = 0; t < s.length(); t++) {
                for (int j = 0; j < s.dim(); j++) {
                    double diff = eta * g[t * s.dim() + j] - s.state(b, t + 1, j);
                    sum += diff * diff;
                }
            }
        }
        return sum / (2.0 * s.batch() * s.length());
    }
}
