package dev.t2.calm;

/**
 * RMS normalisation without weights of the states entering a positional cross-attention: an anchor state of any scale
 * (even near zero, as an anchor's embedding of a token it never saw) then gives a usable query, and the augmenting
 * model's states (whatever their scale) values of scale 1.
 */
final class QueryNorm {
    private static final float EPS = 1e-5f;

    private QueryNorm() {}

    /** y = x / rms(x) per row; the inverse rms of each row goes to {@code invRms}. */
    static float[] forward(float[] x, int rows, int d, float[] invRms) {
        float[] y = new float[rows * d];
        for (int r = 0; r < rows; r++) {
            double ss = 0;
            for (int i = 0; i < d; i++) ss += x[r * d + i] * x[r * d + i];
            invRms[r] = (float) (1 / Math.sqrt(ss / d + EPS));
            for (int i = 0; i < d; i++) y[r * d + i] = x[r * d + i] * invRms[r];
        }
        return y;
    }

    /** Given the normalised rows y and dL/dy: dL/dx = inv·(dy − y·(y·dy)/d). */
    static float[] backward(float[] y, float[] invRms, float[] dy, int rows, int d) {
        float[] dx = new float[rows * d];
        for (int r = 0; r < rows; r++) {
            double dot = 0;
            for (int i = 0; i < d; i++) dot += y[r * d + i] * dy[r * d + i];
            float k = (float) (dot / d);
            for (int i = 0; i < d; i++) dx[r * d + i] = invRms[r] * (dy[r * d + i] - y[r * d + i] * k);
        }
        return dx;
    }
}
