package dev.t2.mesa;

/** Causal linear attention of one head with raw scores: o_t = Σ_{i≤t} (q_t·k_i) v_i, and its reverse pass. */
final class LinearAttention {
    private LinearAttention() {}

    /** out[t] = Σ_{i≤t} (q_t·k_i) v_i, overwriting the head's columns of out. */
    static void forward(HeadView h, float[] q, float[] k, float[] v, float[] out) {
        int n = h.size();
        for (int t = 0; t < h.positions(); t++) {
            int ot = h.at(t);
            java.util.Arrays.fill(out, ot, ot + n, 0f);
            for (int i = 0; i <= t; i++) HeadView.axpy(HeadView.dot(q, ot, k, h.at(i), n), v, h.at(i), out, ot, n);
        }
    }

    /** Adds the gradients of q, k, v given g = dL/dout. */
    static void backward(HeadView h, float[] q, float[] k, float[] v, float[] g, float[] dq, float[] dk, float[] dv) {
        int n = h.size();
        for (int t = 0; t < h.positions(); t++) {
            int ot = h.at(t);
            for (int i = 0; i <= t; i++) {
                int oi = h.at(i);
                float score = HeadView.dot(q, ot, k, oi, n), dScore = HeadView.dot(g, ot, v, oi, n);
                HeadView.axpy(score, g, ot, dv, oi, n);
                HeadView.axpy(dScore, k, oi, dq, ot, n);
                HeadView.axpy(dScore, q, ot, dk, oi, n);
            }
        }
    }
}
