package dev.t2.mesa;

/** Causal linear attention of one head with raw scores: o_t = Σ_{i≤t} (q_t·k_i) v_i, and its reverse pass. */
final class LinearAttention {
    private LinearAttention() {}

    /** out[t] = Σ_{i≤t} (q_t·k_i) v_i, overwriting the head's columns of out. */
    static void forward(HeadView h, float[] q, float[] k, float[] v, float[] out) {
        int n = h.size();
        float[] kT = h.transposed(k), scores = new float[h.positions()];
        for (int t = 0; t < h.positions(); t++) {
            int ot = h.at(t);
            java.util.Arrays.fill(out, ot, ot + n, 0f);
            h.scores(q, t, kT, scores);
            for (int i = 0; i <= t; i++) HeadView.axpy(scores[i], v, h.at(i), out, ot, n);
        }
    }

    /** Adds the gradients of q, k, v given g = dL/dout. */
    static void backward(HeadView h, float[] q, float[] k, float[] v, float[] g, float[] dq, float[] dk, float[] dv) {
        int n = h.size();
        float[] kT = h.transposed(k), vT = h.transposed(v), scores = new float[h.positions()], dScores = new float[h.positions()];
        for (int t = 0; t < h.positions(); t++) {
            int ot = h.at(t);
            h.scores(q, t, kT, scores);
            h.scores(g, t, vT, dScores);
            for (int i = 0; i <= t; i++) {
                int oi = h.at(i);
                HeadView.axpy(scores[i], g, ot, dv, oi, n);
                HeadView.axpy(dScores[i], k, oi, dq, ot, n);
                HeadView.axpy(dScores[i], q, ot, dk, oi, n);
            }
        }
    }
}
