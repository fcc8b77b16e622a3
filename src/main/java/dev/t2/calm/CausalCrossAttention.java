package dev.t2.calm;

import dev.t2.model.PackedAttention;
import dev.t2.tensor.VectorOps;

/**
 * Multi-head softmax attention of anchor queries over keys/values made from the augmenting model's states, causal
 * in position: the query at position t sees the augmenting states of positions 0..t only. Rows of a batch are
 * whole sequences packed one after another ({@code start}, {@code length}); no rotary positions. Training runs on the
 * model's {@link PackedAttention} (one key/value head per query head, no window); decoding attends one row at a time.
 */
final class CausalCrossAttention {
    private CausalCrossAttention() {}

    /** Writes every row's attended values into {@code out} and each (row, head)'s log-sum-exp into {@code lse} [rows, heads]. */
    static void forward(float[] q, float[] k, float[] v, int heads, int dim, int[] start, int[] length, float[] out, float[] lse) {
        PackedAttention.forward(new PackedAttention.Heads(heads, heads, dim / heads, 0), start, length, q, k, v, out, lse);
    }

    /** One query row against the first {@code visible} rows of {@code keys}/{@code values} (a sequence's cache), all heads. */
    static void attendRow(float[] q, int qOffset, float[] keys, float[] values, int visible, int heads, int dim, float[] out, int outOffset) {
        for (int h = 0; h < heads; h++) attendHead(q, qOffset, keys, values, visible, dim, dim / heads, h, out, outOffset);
    }

    /** Head h of one query over the first {@code visible} key rows. */
    private static void attendHead(float[] q, int qOffset, float[] keys, float[] values, int visible, int dim, int hd, int h,
                                    float[] out, int outOffset) {
        float scale = (float) (1.0 / Math.sqrt(hd));
        float[] scores = new float[visible];
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < visible; j++) {
            scores[j] = VectorOps.dot(q, qOffset + h * hd, keys, j * dim + h * hd, hd) * scale;
            max = Math.max(max, scores[j]);
        }
        double sum = 0;
        for (int j = 0; j < visible; j++) sum += scores[j] = (float) Math.exp(scores[j] - max);
        float inv = (float) (1 / sum);
        java.util.Arrays.fill(out, outOffset + h * hd, outOffset + (h + 1) * hd, 0f);
        for (int j = 0; j < visible; j++) VectorOps.axpy(scores[j] * inv, values, j * dim + h * hd, out, outOffset + h * hd, hd);
    }

    /**
     * Given dL/d(out), adds dL/dq, dL/dk and dL/dv; probabilities are recomputed from q, k and the saved log-sum-exp.
     */
    static void backward(float[] q, float[] k, float[] v, float[] out, float[] lse, float[] dOut, int heads, int dim, int[] start, int[] length,
                         float[] dq, float[] dk, float[] dv) {
        PackedAttention.backward(new PackedAttention.Heads(heads, heads, dim / heads, 0), start, length, q, k, v, out, lse, dOut, dq, dk, dv);
    }
}
