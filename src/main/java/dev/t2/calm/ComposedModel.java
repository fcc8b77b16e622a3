package dev.t2.calm;

import dev.t2.model.CausalLanguageModel;
import dev.t2.model.LlamaModel;
import dev.t2.model.ModelConfig;
import dev.t2.model.SequenceChunk;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Anchor m_B and augmenting model m_A decoding together through a composition: both read the same growing
 * token sequence; at every step m_A runs first, its new states become each pair's cross-attention keys and values,
 * then m_B runs with the cross-attention results added after the paired layers. Logits are the anchor's.
 */
public final class ComposedModel implements CausalLanguageModel {
    private final LlamaModel anchor, augment;
    private final Composition composition;
    private final ModelConfig config;

    public ComposedModel(LlamaModel anchor, LlamaModel augment, Composition composition) {
        composition.config().check(augment.config(), anchor.config());
        if (composition.augmentWidth() != augment.config().hiddenSize() || composition.anchorWidth() != anchor.config().hiddenSize()) {
            throw new IllegalArgumentException("the composition connects widths " + composition.augmentWidth() + " → " + composition.anchorWidth()
                    + " but the models have " + augment.config().hiddenSize() + " → " + anchor.config().hiddenSize());
        }
        this.anchor = anchor;
        this.augment = augment;
        this.composition = composition;
        ModelConfig a = anchor.config();
        // the anchor's config, limited to the positions both models have
        this.config = new ModelConfig(a.architecture(), a.hiddenSize(), a.intermediateSize(), a.numLayers(), a.numHeads(), a.numKvHeads(),
                a.headDim(), a.vocabSize(), Math.min(a.maxPositions(), augment.config().maxPositions()), a.rmsNormEps(), a.ropeTheta(),
                a.ropeScaling(), a.ropeInterleaved(), a.tieWordEmbeddings(), a.attentionBias(), a.slidingWindow(), a.bosTokenId(), a.eosTokenIds());
    }

    /** The anchor's config (its logits are the composed model's), with the positions both models have. */
    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public ComposedCache newCache() {
        return new ComposedCache(composition, anchor.config().numLayers(), anchor.config().kvDim(), augment.newCache());
    }

    @Override
    public float[] forward(List<SequenceChunk> chunks, LlamaModel.Logits which) {
        int rows = 0;
        List<ComposedCache> caches = new ArrayList<>();
        List<SequenceChunk> augmentChunks = new ArrayList<>();
        for (SequenceChunk ch : chunks) {
            if (!(ch.cache() instanceof ComposedCache cc) || cc.owner() != composition) {
                throw new IllegalArgumentException("a composed model runs on caches from its own newCache()");
            }
            if (cc.augment().length() != cc.length()) throw new IllegalStateException("the two models' caches are out of step");
            caches.add(cc);
            augmentChunks.add(new SequenceChunk(cc.augment(), ch.tokens()));
            rows += ch.tokens().length;
        }
        int[] rowCache = new int[rows], positions = new int[rows];
        int r = 0;
        for (int c = 0; c < chunks.size(); c++) {
            for (int i = 0; i < chunks.get(c).tokens().length; i++, r++) {
                rowCache[r] = c;
                positions[r] = caches.get(c).length() + i;
            }
        }
        Map<Integer, float[]> states = new HashMap<>();
        augment.forward(augmentChunks, LlamaModel.Logits.NONE, AugmentStates.capture(composition.augmentLayers(), states));
        int d = composition.anchorWidth();
        for (int b = 0; b < composition.blocks().size(); b++) {
            CrossAttentionBlock block = composition.blocks().get(b);
            float[] projected = new float[rows * d], k = new float[rows * d], v = new float[rows * d];
            float[] augmentInput = states.get(block.pair().augmentLayer());
            if (composition.config().positional()) augmentInput = QueryNorm.forward(augmentInput, rows, composition.augmentWidth(), new float[rows]);
            block.projection().forward(augmentInput, rows, projected);
            block.key().forward(projected, rows, k);
            block.value().forward(projected, rows, v);
            if (composition.config().positional()) for (int row = 0; row < rows; row++) RotaryPositions.rotate(k, row, d, d / block.heads(), positions[row], false);
            for (int row = 0; row < rows; row++) caches.get(rowCache[row]).put(b, positions[row], k, v, row);
        }
        final int n = rows;
        return anchor.forward(chunks, which, (layer, residual) -> crossAttention(layer, residual, n, caches, rowCache, positions));
    }

    /** The sum of the cross-attention outputs of the pairs entering after anchor layer {@code layer}; null when none does. */
    private float[] crossAttention(int layer, float[] residual, int rows, List<ComposedCache> caches, int[] rowCache, int[] positions) {
        float[] term = null;
        int d = composition.anchorWidth();
        for (int b = 0; b < composition.blocks().size(); b++) {
            CrossAttentionBlock block = composition.blocks().get(b);
            if (block.pair().anchorLayer() != layer) continue;
            float[] q = new float[rows * d], attended = new float[rows * d], out = new float[rows * d];
            block.query().forward(composition.config().positional() ? QueryNorm.forward(residual, rows, d, new float[rows]) : residual, rows, q);
            if (composition.config().positional()) for (int row = 0; row < rows; row++) RotaryPositions.rotate(q, row, d, d / block.heads(), positions[row], false);
            final int pair = b;
            dev.t2.tensor.Parallel.forEach(rows, row -> {
                ComposedCache cc = caches.get(rowCache[row]);
                CausalCrossAttention.attendRow(q, row * d, cc.pairKeys(pair), cc.pairValues(pair), positions[row] + 1, block.heads(), d, attended, row * d);
            });
            block.output().forward(attended, rows, out);
            if (term == null) term = out;
            else for (int i = 0; i < term.length; i++) term[i] += out[i];
        }
        return term;
    }

    public Composition composition() {
        return composition;
    }

    public LlamaModel anchor() {
        return anchor;
    }

    public LlamaModel augment() {
        return augment;
    }
}
