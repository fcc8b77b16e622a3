package dev.t2.model;

import dev.t2.tensor.Parallel;
import dev.t2.tensor.TransposedOps;
import dev.t2.tensor.VectorExp;
import dev.t2.tensor.VectorOps;

/**
 * Causal (optionally sliding-window) grouped-query attention over packed sequences, forward and backward, for training.
 * Each task first copies its sequence's keys and values of one head transposed, [head dim][positions], so that every
 * inner loop runs along the key positions (whole vectors) rather than along the head dimension (32–128 floats, where
 * loop overhead dominated: attention took half of a pretraining step). Scores of each query row are computed over the
 * whole vectors that hold its visible positions; the positions outside are set to −∞ before the softmax, so they weigh 0.
 */
public final class PackedAttention {
    /** Floats per vector: rows are padded to whole vectors. */
    private static final int L = TransposedOps.VECTOR_LENGTH;

    private PackedAttention() {}

    /** Query heads, the key/value heads they share in groups, each head's size, and the sliding window (0: none). */
    public record Heads(int heads, int kvHeads, int dim, int window) {
        public Heads {
            if (heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0 || dim <= 0 || window < 0) {
                throw new IllegalArgumentException("bad attention heads: " + heads + " query, " + kvHeads + " key/value, size " + dim + ", window " + window);
            }
        }

        static Heads of(ModelConfig c) {
            return new Heads(c.numHeads(), c.numKvHeads(), c.headDim(), c.slidingWindow());
        }

        /** Visible keys of position i: causal, and within the sliding window when there is one. */
        int firstVisible(int i) {
            return window > 0 ? Math.max(0, i - window + 1) : 0;
        }
    }

    /**
     * attended = softmax(q·kᵀ/√d)·v per head; lse keeps each (row, head)'s log Σ exp for the backward. Rows are whole
     * sequences packed one after another (sequence s is rows starts[s] .. starts[s] + lengths[s] − 1).
     */
    public static void forward(Heads shape, int[] starts, int[] lengths, float[] q, float[] k, float[] v, float[] attended, float[] lse) {
        int heads = shape.heads(), hd = shape.dim(), qd = heads * hd, kvd = shape.kvHeads() * hd, group = heads / shape.kvHeads();
        float scale = (float) (1.0 / Math.sqrt(hd));
        Parallel.forEach(starts.length * heads, task -> {
            int s = task / heads, h = task % heads, kvh = h / group;
            int start = starts[s], len = lengths[s], ld = padded(len);
            float[] kt = transposed(k, start, len, kvd, kvh * hd, hd, ld), vt = transposed(v, start, len, kvd, kvh * hd, hd, ld);
            float[] p = new float[ld];
            for (int i = 0; i < len; i++) {
                int r = start + i, qo = r * qd + h * hd, first = shape.firstVisible(i), from = first / L * L, to = padded(i + 1);
                TransposedOps.vectorTimes(q, qo, kt, ld, hd, scale, p, from, to);
                hideInvisible(p, from, first, i, to);
                float max = VectorOps.max(p, first, i + 1 - first);
                float sum = VectorExp.expShifted(p, from, to, max);
                java.util.Arrays.fill(attended, qo, qo + hd, 0f);
                TransposedOps.addTimesVector(vt, ld, hd, p, from, to, 1f / sum, attended, qo);
                lse[r * heads + h] = max + (float) Math.log(sum);
            }
        });
    }

    /**
     * Adds the gradients of q, k and v given dAtt = dL/d attended. Probabilities are recomputed from q, k and the saved
     * log Σ exp; one task per (sequence, KV head) owns that head's dk and dv.
     */
    public static void backward(Heads shape, int[] starts, int[] lengths, float[] q, float[] k, float[] v, float[] attended, float[] lse,
                                float[] dAtt, float[] dq, float[] dk, float[] dv) {
        int heads = shape.heads(), kvHeads = shape.kvHeads(), hd = shape.dim(), qd = heads * hd, kvd = kvHeads * hd, group = heads / kvHeads;
        float scale = (float) (1.0 / Math.sqrt(hd));
        Parallel.forEach(starts.length * kvHeads, task -> {
            int s = task / kvHeads, kvh = task % kvHeads;
            int start = starts[s], len = lengths[s], ld = padded(len);
            float[] kt = transposed(k, start, len, kvd, kvh * hd, hd, ld), vt = transposed(v, start, len, kvd, kvh * hd, hd, ld);
            float[] dkt = new float[hd * ld], dvt = new float[hd * ld], p = new float[ld], ds = new float[ld];
            for (int h = kvh * group; h < (kvh + 1) * group; h++) {
                for (int i = 0; i < len; i++) {
                    int r = start + i, qo = r * qd + h * hd, first = shape.firstVisible(i), from = first / L * L, to = padded(i + 1);
                    float delta = VectorOps.dot(dAtt, qo, attended, qo, hd); // Σ_j p_ij (dAtt_i · v_j)
                    TransposedOps.vectorTimes(q, qo, kt, ld, hd, scale, p, from, to);
                    hideInvisible(p, from, first, i, to);
                    VectorExp.expShifted(p, from, to, lse[r * heads + h]);
                    TransposedOps.vectorTimes(dAtt, qo, vt, ld, hd, 1f, ds, from, to); // dAtt_i · v_j
                    VectorOps.softmaxBackward(p, ds, from, to - from, delta, scale); // ds_ij = p_ij (dAtt_i · v_j − delta) / √d
                    TransposedOps.addOuter(dAtt, qo, p, from, to, dvt, ld, hd);
                    TransposedOps.addOuter(q, qo, ds, from, to, dkt, ld, hd);
                    TransposedOps.addTimesVector(kt, ld, hd, ds, from, to, 1f, dq, qo);
                }
            }
            for (int j = 0; j < len; j++) {
                int o = (start + j) * kvd + kvh * hd;
                for (int e = 0; e < hd; e++) {
                    dk[o + e] += dkt[e * ld + j];
                    dv[o + e] += dvt[e * ld + j];
                }
            }
        });
    }

    private static int padded(int n) {
        return (n + L - 1) / L * L;
    }

    /** One head's slice of rows [start, start + len) of x, transposed to [hd][ld] with zeros after len. */
    private static float[] transposed(float[] x, int start, int len, int stride, int offset, int hd, int ld) {
        float[] t = new float[hd * ld];
        for (int j = 0; j < len; j++) {
            int o = (start + j) * stride + offset;
            for (int e = 0; e < hd; e++) t[e * ld + j] = x[o + e];
        }
        return t;
    }

    /** Sets the scores outside [first, last] to −∞, so the softmax gives them weight 0. */
    private static void hideInvisible(float[] s, int from, int first, int last, int to) {
        for (int j = from; j < first; j++) s[j] = Float.NEGATIVE_INFINITY;
        for (int j = last + 1; j < to; j++) s[j] = Float.NEGATIVE_INFINITY;
    }
}
