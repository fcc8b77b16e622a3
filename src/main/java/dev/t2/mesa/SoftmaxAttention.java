package dev.t2.mesa;

/** Causal softmax attention of one head with unscaled scores, and its reverse pass from the kept probabilities. */
final class SoftmaxAttention {
    private SoftmaxAttention() {}

    /** Overwrites the head's columns of out; {@code probs} [positions, positions] receives p_{t,i} (zero for i > t). */
    static void forward(HeadView h, float[] q, float[] k, float[] v, float[] out, float[] probs, int pOff) {
        int n = h.size(), len = h.positions();
        float[] kT = h.transposed(k), scores = new float[len];
        for (int t = 0; t < len; t++) {
            int ot = h.at(t), row = pOff + t * len;
            h.scores(q, t, kT, scores);
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i <= t; i++) max = Math.max(max, probs[row + i] = scores[i]);
            float sum = 0;
            for (int i = 0; i <= t; i++) sum += probs[row + i] = (float) Math.exp(probs[row + i] - max);
            java.util.Arrays.fill(out, ot, ot + n, 0f);
            for (int i = 0; i <= t; i++) HeadView.axpy(probs[row + i] /= sum, v, h.at(i), out, ot, n);
            java.util.Arrays.fill(probs, row + t + 1, row + len, 0f);
        }
    }

    static void backward(HeadView h, float[] q, float[] k, float[] v, float[] probs, int pOff, float[] g, float[] dq, float[] dk, float[] dv, float[] scratch) {
        int n = h.size(), len = h.positions();
        float[] vT = h.transposed(v);
        for (int t = 0; t < len; t++) {
            int ot = h.at(t), row = pOff + t * len;
            h.scores(g, t, vT, scratch);
            float mean = 0;
            for (int i = 0; i <= t; i++) mean += probs[row + i] * scratch[i];
            for (int i = 0; i <= t; i++) {
                int oi = h.at(i);
                float p = probs[row + i], dScore = p * (scratch[i] - mean);
                HeadView.axpy(p, g, ot, dv, oi, n);
                HeadView.axpy(dScore, k, oi, dq, ot, n);
                HeadView.axpy(dScore, q, ot, dk, oi, n);
            }
        }
    }
}
