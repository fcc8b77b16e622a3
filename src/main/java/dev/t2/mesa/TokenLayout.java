package dev.t2.mesa;

/**
 * How states become tokens of width 4·dim; the prediction of s_{t+1} is read from the first block of the last
 * layer's output, which every layout leaves zero on input.
 */
public enum TokenLayout {
    /** e_t = (0, s_t, s_t, s_{t−1}), s_{−1} = 0: the input–target pair (s_{t−1}, s_t) and the query s_t in one token. */
    CONSTRUCTED,
    /** e_t = (0, s_t, 0, 0): the raw state, with empty slots a first layer can fill (e.g. by copying s_{t−1}). */
    RAW;

    public int width(int dim) {
        return 4 * dim;
    }

    /** Writes the tokens of sequence b as [length, 4·dim] into {@code out}. */
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
            }
        }
    }
}
