package dev.t2.calm;

import dev.t2.tensor.Parallel;
import dev.t2.tensor.VectorOps;

/**
 * Multi-head softmax attention of anchor queries over keys/values made from the augmenting model's states, causal
 * in position: the query at position t sees the augmenting states of positions 0..t only. Rows of a batch are
 * whole sequences packed one after another ({@code start}, {@code length}); no rotary positions.
 */
final class CausalCrossAttention {
    private CausalCrossAttention() {}

    /** Writes every row's attended values into {@code out} and each (row, head)'s log-sum-exp into {@code lse} [rows, heads]. */
    static void forward(float[] q, float[] k, float[] v, int heads, int dim, int[] start, int[] length, float[] out, float[] lse) {
        Parallel.forEach(start.length * heads, task -> {
            int s = task / heads, h = task % heads;
            for (int i = 0; i < length[s]; i++) {
                int r = start[s] + i;
                lse[r * heads + h] = attendHead(q, r * dim, k, v, start[s] * dim, i + 1, dim, dim / heads, h, out, r * dim);
            }
        });
    }

    /** One query row against the first {@code visible} rows of {@code keys}/{@code values} (a sequence's cache), all heads. */
    static void attendRow(float[] q, int qOffset, float[] keys, float[] values, int visible, int heads, int dim, float[] out, int outOffset) {
        for (int h = 0; h < heads; h++) attendHead(q, qOffset, keys, values, 0, visible, dim, dim / heads, h, out, outOffset);
    }

    /** Head h of one query over {@code visible} key rows starting at {@code kvOffset}; returns the log-sum-exp of its scores. */
    private static float attendHead(float[] q, int qOffset, float[] keys, float[] values, int kvOffset, int visible, int dim, int hd, int h,
                                    float[] out, int outOffset) {
        float scale = (float) (1.0 / Math.sqrt(hd));
        float[] scores = new float[visible];
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < visible; j++) {
            scores[j] = VectorOps.dot(q, qOffset + h * hd, keys, kvOffset + j * dim + h * hd, hd) * scale;
            max = Math.max(max, scores[j]);
        }
        double sum = 0;
        for (int j = 0; j < visible; j++) sum += scores[j] = (float) Math.exp(scores[j] - max);
        float inv = (float) (1 / sum);
        java.util.Arrays.fill(out, outOffset + h * hd, outOffset + (h + 1) * hd, 0f);
        for (int j = 0; j < visible; j++) VectorOps.axpy(scores[j] * inv, values, kvOffset + j * dim + h * hd, out, outOffset + h * hd, hd);
        return (float) (max + Math.log(sum));
    }

    /**
     * Given dL/d(out), adds dL/dq, dL/dk and dL/dv; probabilities are recomputed from q, k and the saved log-sum-exp.
     * One task per (sequence, head) owns that head's columns of its sequence's rows.
     */
    static void backward(float[] q, float[] k, float[] v, float[] out, float[] lse, float[] dOut, int heads, int dim, int[] start, int[] length,
                         float[] dq, float[] dk, float[] dv) {
        int hd = dim / heads;
        float scale = (float) (1.0 / Math.sqrt(hd));
        Parallel.forEach(start.length * heads, task -> {
            int s = task / heads, h = task % heads;
            for (int i = 0; i < length[s]; i++) {
                int r = start[s] + i, qo = r * dim + h * hd;
                float delta = VectorOps.dot(dOut, qo, out, qo, hd); // Σ_j p_ij (dOut_i · v_j)
                float rowLse = lse[r * heads + h];
                for (int j = 0; j <= i; j++) {
                    int ko = (start[s] + j) * dim + h * hd;
                    float p = (float) Math.exp(VectorOps.dot(q, qo, k, ko, hd) * scale - rowLse);
                    float ds = p * (VectorOps.dot(dOut, qo, v, ko, hd) - delta) * scale;
                    VectorOps.axpy(p, dOut, qo, dv, ko, hd);
                    VectorOps.axpy(ds, k, ko, dq, qo, hd);
                    VectorOps.axpy(ds, q, qo, dk, ko, hd);
                }
            }
        });
    }
}
