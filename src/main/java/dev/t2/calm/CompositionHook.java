package dev.t2.calm;

import dev.t2.model.TrainableResidualHook;
import java.util.HashMap;
import java.util.Map;

/**
 * A composition inside the anchor's training graph, for one batch of whole sequences: after anchor layer j it adds
 * W^O·CrossAttn(W^Q·h_B, W^K·P, W^V·P) with P = f_proj(h_A) for every pair (i, j), and in the backward pass gives
 * the blocks their gradients and the anchor's residual its share through the queries.
 */
final class CompositionHook implements TrainableResidualHook {
    private final Composition composition;
    private final Map<Integer, float[]> augmentStates;
    private final int[] start, length, positions;
    private final int rows;
    private final Map<Integer, Saved> saved = new HashMap<>();

    /** What one block's forward leaves for its backward. */
    private record Saved(float[] queryInput, float[] invRms, float[] projected, float[] q, float[] k, float[] v, float[] attended, float[] lse) {}

    CompositionHook(Composition composition, Map<Integer, float[]> augmentStates, java.util.List<int[]> sequences) {
        this.composition = composition;
        this.augmentStates = augmentStates;
        start = new int[sequences.size()];
        length = new int[sequences.size()];
        int r = 0;
        for (int s = 0; s < sequences.size(); s++) {
            start[s] = r;
            r += length[s] = sequences.get(s).length;
        }
        rows = r;
        positions = new int[rows];
        for (int q = 0; q < sequences.size(); q++) for (int i = 0; i < length[q]; i++) positions[start[q] + i] = i;
    }

    /** Rotates (or rotates back) every row by its position, when the composition's cross-attention has positions. */
    private void rotate(float[] x, int headDim, boolean inverse) {
        if (!composition.config().positional()) return;
        int width = composition.anchorWidth();
        for (int r = 0; r < rows; r++) RotaryPositions.rotate(x, r, width, headDim, positions[r], inverse);
    }

    /** m_A's states a block projects: as they are, or RMS-normalised for a positional cross-attention (no gradient needed: m_A is frozen). */
    private float[] augmentInput(CrossAttentionBlock block) {
        float[] states = augmentStates.get(block.pair().augmentLayer());
        return composition.config().positional() ? QueryNorm.forward(states, rows, composition.augmentWidth(), new float[rows]) : states;
    }

    @Override
    public float[] afterLayer(int layer, float[] residual) {
        float[] term = null;
        for (int b = 0; b < composition.blocks().size(); b++) {
            CrossAttentionBlock block = composition.blocks().get(b);
            if (block.pair().anchorLayer() != layer) continue;
            int d = block.anchorWidth(), heads = block.heads();
            float[] projected = new float[rows * d], q = new float[rows * d], k = new float[rows * d], v = new float[rows * d];
            block.projection().forward(augmentInput(block), rows, projected);
            float[] invRms = new float[rows];
            float[] queryInput = composition.config().positional() ? QueryNorm.forward(residual, rows, d, invRms) : residual;
            block.query().forward(queryInput, rows, q);
            block.key().forward(projected, rows, k);
            block.value().forward(projected, rows, v);
            rotate(q, d / heads, false);
            rotate(k, d / heads, false);
            float[] attended = new float[rows * d], lse = new float[rows * heads], out = new float[rows * d];
            CausalCrossAttention.forward(q, k, v, heads, d, start, length, attended, lse);
            block.output().forward(attended, rows, out);
            saved.put(b, new Saved(queryInput, invRms, projected, q, k, v, attended, lse));
            if (term == null) term = out;
            else for (int i = 0; i < term.length; i++) term[i] += out[i];
        }
        return term;
    }

    @Override
    public float[] backward(int layer, float[] dSum) {
        float[] dResidual = null;
        for (int b = 0; b < composition.blocks().size(); b++) {
            CrossAttentionBlock block = composition.blocks().get(b);
            if (block.pair().anchorLayer() != layer) continue;
            Saved a = saved.remove(b);
            int d = block.anchorWidth(), heads = block.heads();
            float[] dAttended = new float[rows * d];
            block.output().backward(a.attended(), rows, dSum, dAttended);
            float[] dq = new float[rows * d], dk = new float[rows * d], dv = new float[rows * d];
            CausalCrossAttention.backward(a.q(), a.k(), a.v(), a.attended(), a.lse(), dAttended, heads, d, start, length, dq, dk, dv);
            rotate(dq, d / heads, true);
            rotate(dk, d / heads, true);
            float[] dProjected = new float[rows * d], tmp = new float[rows * d], dQueryInput = new float[rows * d];
            block.key().backward(a.projected(), rows, dk, dProjected);
            block.value().backward(a.projected(), rows, dv, tmp);
            for (int i = 0; i < tmp.length; i++) dProjected[i] += tmp[i];
            block.projection().backward(augmentInput(block), rows, dProjected, null); // m_A is frozen
            block.query().backward(a.queryInput(), rows, dq, dQueryInput);
            if (composition.config().positional()) dQueryInput = QueryNorm.backward(a.queryInput(), a.invRms(), dQueryInput, rows, d);
            if (dResidual == null) dResidual = dQueryInput;
            else for (int i = 0; i < dResidual.length; i++) dResidual[i] += dQueryInput[i];
        }
        return dResidual;
    }
}
