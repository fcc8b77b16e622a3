package dev.t2.mesa;

/**
 * Linear probes on the residual stream: for each layer (0 = the tokens) and position t, a ridge regression with
 * intercept from the stream vector to a target, fitted on one set of sequences and scored on another by
 * R² = 1 − Σ‖ŷ − y‖² / Σ‖y − ȳ‖² (1 = perfectly decodable, 0 = no better than the mean; NaN for a constant target).
 */
public final class LinearProbe {
    /** What is decoded at position t. */
    public enum Target {
        /** s_{t+1}, the state to predict. */
        NEXT_STATE(false),
        /**
         * (Σ_{i≤t} s_{i−1}s_{i−1}ᵀ + I/λ)⁻¹ s_t with λ = {@link #PRECONDITIONER_LAMBDA}: the mesa layer's preconditioned
         * query. With so weak a regulariser the target explodes in directions not yet seen, so at each position the
         * samples whose target norm is an outlier are left out (as the authors' probing code does).
         */
        PRECONDITIONED_INPUT(true),
        /** s_{t−1} (zero at t = 0): in the tokens when they are constructed, to be copied there by a first layer when raw. */
        PREVIOUS_STATE(false);

        final boolean dropsOutliers;

        Target(boolean dropsOutliers) {
            this.dropsOutliers = dropsOutliers;
        }
    }

    /** λ of the preconditioned-input target: the authors' probing code adds 0.001·I to Σ s sᵀ, i.e. I/λ with λ = 1000. */
    public static final double PRECONDITIONER_LAMBDA = 1000;
    /** A sample whose target norm at t exceeds the fitting set's mean norm at t by this many standard deviations is left out (as in the authors' code). */
    public static final double OUTLIER_STDS = 2;

    private LinearProbe() {}

    /** R² per [layer][position] for the target. */
    public static double[][] r2(AttentionModel model, Sequences train, Sequences test, Target target) {
        int layers = model.layers().size() + 1, len = train.length(), w = model.width() + 1, d = train.dim();
        double[][][] xtx = new double[layers][len][w * w], xty = new double[layers][len][w * d];
        double[] limit = normLimits(train, target);
        for (int b = 0; b < train.batch(); b++) {
            float[][] streams = model.residualStreams(train, b);
            double[] y = targets(train, b, target);
            for (int l = 0; l < layers; l++) {
                for (int t = 0; t < len; t++) {
                    if (norm(y, t, d) > limit[t]) continue;
                    double[] x = features(streams[l], t, w);
                    double[] g = xtx[l][t], h = xty[l][t];
                    for (int r = 0; r < w; r++) {
                        if (x[r] == 0) continue;
                        for (int c = 0; c < w; c++) g[r * w + c] += x[r] * x[c];
                        for (int c = 0; c < d; c++) h[r * d + c] += x[r] * y[t * d + c];
                    }
                }
            }
        }
        double[][][] coef = new double[layers][len][];
        for (int l = 0; l < layers; l++) for (int t = 0; t < len; t++) coef[l][t] = solve(xtx[l][t], xty[l][t], w, d);
        double[][] err = new double[layers][len], total = new double[layers][len];
        double[][] mean = new double[len][d];
        double[] counts = new double[len];
        for (int b = 0; b < train.batch(); b++) {
            double[] y = targets(train, b, target);
            for (int t = 0; t < len; t++) {
                if (norm(y, t, d) > limit[t]) continue;
                counts[t]++;
                for (int c = 0; c < d; c++) mean[t][c] += y[t * d + c];
            }
        }
        for (int t = 0; t < len; t++) for (int c = 0; c < d; c++) mean[t][c] /= counts[t];
        for (int b = 0; b < test.batch(); b++) {
            float[][] streams = model.residualStreams(test, b);
            double[] y = targets(test, b, target);
            for (int l = 0; l < layers; l++) {
                for (int t = 0; t < len; t++) {
                    if (norm(y, t, d) > limit[t]) continue;
                    double[] x = features(streams[l], t, w), beta = coef[l][t];
                    for (int c = 0; c < d; c++) {
                        double pred = 0;
                        for (int r = 0; r < w; r++) pred += x[r] * beta[r * d + c];
                        double yc = y[t * d + c];
                        err[l][t] += (pred - yc) * (pred - yc);
                        total[l][t] += (yc - mean[t][c]) * (yc - mean[t][c]);
                    }
                }
            }
        }
        double[][] r2 = new double[layers][len];
        for (int l = 0; l < layers; l++) for (int t = 0; t < len; t++) r2[l][t] = total[l][t] == 0 ? Double.NaN : 1 - err[l][t] / total[l][t];
        return r2;
    }

    /**
     * Per position, the largest target norm a sample may have to be fitted and scored: mean + {@link #OUTLIER_STDS}
     * standard deviations over the fitting set for a target that drops outliers, else +∞.
     */
    static double[] normLimits(Sequences train, Target target) {
        int len = train.length(), d = train.dim();
        double[] limit = new double[len];
        java.util.Arrays.fill(limit, Double.POSITIVE_INFINITY);
        if (!target.dropsOutliers) return limit;
        double[] sum = new double[len], squares = new double[len];
        for (int b = 0; b < train.batch(); b++) {
            double[] y = targets(train, b, target);
            for (int t = 0; t < len; t++) {
                double n = norm(y, t, d);
                sum[t] += n;
                squares[t] += n * n;
            }
        }
        for (int t = 0; t < len; t++) {
            double mean = sum[t] / train.batch(), variance = Math.max(0, squares[t] / train.batch() - mean * mean);
            limit[t] = mean + OUTLIER_STDS * Math.sqrt(variance);
        }
        return limit;
    }

    /** ‖y[t]‖ for targets laid out [length, d]. */
    private static double norm(double[] y, int t, int d) {
        double s = 0;
        for (int c = 0; c < d; c++) s += y[t * d + c] * y[t * d + c];
        return Math.sqrt(s);
    }

    /** The stream vector at t plus a constant 1 (the intercept). */
    private static double[] features(float[] stream, int t, int w) {
        double[] x = new double[w];
        for (int i = 0; i < w - 1; i++) x[i] = stream[t * (w - 1) + i];
        x[w - 1] = 1;
        return x;
    }

    static double[] targets(Sequences s, int b, Target target) {
        return switch (target) {
            case NEXT_STATE -> {
                double[] y = new double[s.length() * s.dim()];
                for (int t = 0; t < s.length(); t++) for (int c = 0; c < s.dim(); c++) y[t * s.dim() + c] = s.state(b, t + 1, c);
                yield y;
            }
            case PRECONDITIONED_INPUT -> LeastSquaresBaseline.preconditioned(s, b, PRECONDITIONER_LAMBDA);
            case PREVIOUS_STATE -> {
                double[] y = new double[s.length() * s.dim()];
                for (int t = 1; t < s.length(); t++) for (int c = 0; c < s.dim(); c++) y[t * s.dim() + c] = s.state(b, t - 1, c);
                yield y;
            }
        };
    }

    /** (XᵀX + εI)⁻¹XᵀY with a tiny ridge ε relative to XᵀX's scale, so constant-zero features (empty token slots) are harmless. */
    private static double[] solve(double[] xtx, double[] xty, int w, int d) {
        double[] a = xtx.clone();
        double tr = 0;
        for (int i = 0; i < w; i++) tr += a[i * w + i];
        for (int i = 0; i < w; i++) a[i * w + i] += 1e-6 * tr / w + 1e-12;
        double[] beta = new double[w * d], col = new double[w];
        for (int c = 0; c < d; c++) {
            for (int r = 0; r < w; r++) col[r] = xty[r * d + c];
            double[] x = SymmetricSolve.solve(a, w, col);
            for (int r = 0; r < w; r++) beta[r * d + c] = x[r];
        }
        return beta;
    }
}
