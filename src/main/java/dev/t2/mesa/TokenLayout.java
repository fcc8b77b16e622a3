package dev.t2.mesa;

/**
 * How states become tokens; the prediction of s_{t+1} is read from the first block of the last
 * layer's output, which every layout leaves zero on input.
 */
public enum TokenLayout {
    /** e_t = (0, s_t, s_t, s_{t−1}), s_{−1} = 0: the input–target pair (s_{t−1}, s_t) and the query s_t in one token. */
    CONSTRUCTED,
    /**
     * e_t = (0, s_t, 0, 0, p_t): the raw state with empty slots a first layer can fill by copying s_{t−1}, and a
     * sinusoidal position code p_t (cos, sin of t·ω_k for periods 100, 50, 25, 12.5, 6.25); without positions
     * attention could not tell which token came just before.
     */
    RAW;

    static final double[] PERIODS = {100, 50, 25, 12.5, 6.25};

    public int width(int dim) {
        return this == RAW ? 4 * dim + 2 * PERIODS.length : 4 * dim;
    }

    /** Writes the tokens of sequence b as [length, width] into {@code out}. */
    public void tokens(Sequences seq, int b, float[] out) {
        int d = seq.dim(), w = width(d);
        java.util.Arrays.fill(out, 0, seq.length() * w, 0f);
        float[] s = seq.states();
        for (int t = 0; t < seq.length(); t++) {
            int row = t * w, cur = seq.offset(b, t);
            System.arraycopy(s, cur, out, row + d, d);
            if (this == CONSTRUCTED) {
                System.arraycopy(s, cur, out, row + 2 * d, d);
                if (t > 0) System.arraycopy(s, seq.offset(b, t - 1), out, row + 3 * d, d);
            } else {
                for (int k = 0; k < PERIODS.length; k++) {
                    double angle = 2 * Math.PI * t / PERIODS[k];
                    out[row + 4 * d + 2 * k] = (float) Math.cos(angle);
                    out[row + 4 * d + 2 * k + 1] = (float) Math.sin(angle);
                }
            }
        }
    }
}
