package dev.t2.mesa;

/**
 * A batch of state sequences s_0 … s_length (s_0 is the s_1), row-major [batch, length + 1, dim]: the
 * model sees s_0 … s_{length−1} and predicts s_1 … s_length.
 */
public record Sequences(int batch, int length, int dim, float[] states) {
    public Sequences {
        if (batch <= 0 || length <= 0 || dim <= 0) throw new IllegalArgumentException("need batch, length and dim > 0");
        if (states.length != (long) batch * (length + 1) * dim) {
            throw new IllegalArgumentException(states.length + " floats for " + batch + " sequences of " + (length + 1) + " states of dim " + dim);
        }
    }

    /** Offset of state t of sequence b in {@link #states()}. */
    public int offset(int b, int t) {
        return (b * (length + 1) + t) * dim;
    }

    public float state(int b, int t, int i) {
        return states[offset(b, t) + i];
    }

    /** The mean loss Σ‖s_{t+1}‖² / (2·B·T) of always predicting zero. */
    public double zeroPredictionLoss() {
        double sum = 0;
        for (int b = 0; b < batch; b++) {
            for (int t = 1; t <= length; t++) {
                for (int i = 0; i < dim; i++) sum += (double) state(b, t, i) * state(b, t, i);
            }
        }
        return sum / (2.0 * batch * length);
    }
}
