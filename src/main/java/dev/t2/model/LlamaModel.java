package dev.t2.model;

import dev.t2.tensor.MatMul;
import dev.t2.tensor.Parallel;
import dev.t2.tensor.SwiGlu;
import dev.t2.tensor.Tensor;
import dev.t2.tensor.VectorOps;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Forward pass of a Llama-family decoder (Llama 2/3, Qwen2, Mistral) over a batch of sequences.
 * All new tokens of all sequences are stacked into one [rows, hidden] activation matrix so every weight
 * matrix is streamed once per call (tiled GEMM for prefill, shared weights for many decoding sequences);
 * attention then runs per row against that row's own KV cache.
 */
public final class LlamaModel implements CausalLanguageModel {
    private final ModelConfig config;
    private final LlamaWeights weights;
    private final Rope rope;
    private final float[][] inputNorms, postNorms, queryBiases, keyBiases, valueBiases;
    private final float[] finalNorm;

    public LlamaModel(ModelConfig config, LlamaWeights weights) {
        this.config = config;
        this.weights = weights;
        this.rope = new Rope(config);
        int n = config.numLayers();
        inputNorms = new float[n][];
        postNorms = new float[n][];
        queryBiases = new float[n][];
        keyBiases = new float[n][];
        valueBiases = new float[n][];
        for (int l = 0; l < n; l++) {
            LayerWeights w = weights.layers().get(l);
            inputNorms[l] = w.inputNorm().toFloatArray();
            postNorms[l] = w.postAttentionNorm().toFloatArray();
            queryBiases[l] = w.queryBias() == null ? null : w.queryBias().toFloatArray();
            keyBiases[l] = w.keyBias() == null ? null : w.keyBias().toFloatArray();
            valueBiases[l] = w.valueBias() == null ? null : w.valueBias().toFloatArray();
        }
        finalNorm = weights.finalNorm().toFloatArray();
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    public LlamaWeights weights() {
        return weights;
    }

    /** Same model with other weights of the same shapes (e.g. SVF-adapted matrices); norms are shared. */
    public LlamaModel withWeights(LlamaWeights adapted) {
        return new LlamaModel(config, adapted);
    }

    @Override
    public KvCache newCache() {
        return new KvCache(config.numLayers(), config.kvDim(), 64);
    }

    /** Which logits a forward call returns. */
    public enum Logits { LAST_PER_CHUNK, ALL, NONE }

    /** Runs one sequence's tokens and returns the logits of its last token. */
    public float[] forward(KvCache cache, int... tokens) {
        return forward(List.of(new SequenceChunk(cache, tokens)), Logits.LAST_PER_CHUNK);
    }

    /**
     * Appends each chunk's tokens to its cache and returns logits: [chunks, vocab] for LAST_PER_CHUNK,
     * [rows, vocab] (rows in chunk order) for ALL, an empty array for NONE.
     */
    @Override
    public float[] forward(List<SequenceChunk> chunks, Logits which) {
        return forward(chunks, which, null);
    }

    /** The same forward pass with {@code hook}'s term added to the residual stream after each layer (null: none). */
    public float[] forward(List<SequenceChunk> chunks, Logits which, ResidualHook hook) {
        int rows = 0;
        IdentityHashMap<KvCache, Boolean> seen = new IdentityHashMap<>();
        for (SequenceChunk ch : chunks) {
            if (seen.put(ch.cache(), Boolean.TRUE) != null) throw new IllegalArgumentException("a cache appears twice in one batch");
            rows += ch.tokens().length;
        }
        int[] rowChunk = new int[rows], positions = new int[rows], lastRow = new int[chunks.size()];
        int r = 0;
        for (int c = 0; c < chunks.size(); c++) {
            SequenceChunk ch = chunks.get(c);
            ch.cache().ensureCapacity(ch.cache().length() + ch.tokens().length);
            for (int i = 0; i < ch.tokens().length; i++, r++) {
                int token = ch.tokens()[i];
                if (token < 0 || token >= config.vocabSize()) {
                    throw new IllegalArgumentException("token id " + token + " is outside the vocabulary [0, " + config.vocabSize() + ")");
                }
                rowChunk[r] = c;
                positions[r] = ch.cache().length() + i;
            }
            lastRow[c] = r - 1;
        }

        int d = config.hiddenSize();
        float[] x = new float[rows * d];
        r = 0;
        for (SequenceChunk ch : chunks) {
            for (int token : ch.tokens()) weights.embedding().readRow(token, x, (r++) * d);
        }
        float[][] ropeTables = rope.tables(positions);
        float[] normed = new float[rows * d];
        float[] embedded = hook == null ? null : hook.afterLayer(-1, x);
        if (embedded != null) for (int i = 0; i < x.length; i++) x[i] += embedded[i];
        for (int l = 0; l < config.numLayers(); l++) {
            attentionBlock(l, chunks, rows, rowChunk, positions, ropeTables, x, normed);
            mlpBlock(l, rows, x, normed);
            float[] term = hook == null ? null : hook.afterLayer(l, x);
            if (term != null) for (int i = 0; i < x.length; i++) x[i] += term[i];
        }
        for (SequenceChunk ch : chunks) ch.cache().advance(ch.tokens().length);

        return switch (which) {
            case NONE -> new float[0];
            case ALL -> logits(x, rows, null);
            case LAST_PER_CHUNK -> logits(x, chunks.size(), lastRow);
        };
    }

    private void attentionBlock(int l, List<SequenceChunk> chunks, int rows, int[] rowChunk, int[] positions,
                                float[][] ropeTables, float[] x, float[] normed) {
        LayerWeights w = weights.layers().get(l);
        int d = config.hiddenSize(), qd = config.queryDim(), kvd = config.kvDim();
        rmsNormRows(x, normed, rows, inputNorms[l]);
        float[] q = new float[rows * qd], k = new float[rows * kvd], v = new float[rows * kvd];
        MatMul.matmulShared(new Tensor[] {w.queryProj(), w.keyProj(), w.valueProj()}, normed, new float[][] {q, k, v}, rows, null);
        for (int r = 0; r < rows; r++) {
            addBias(q, r * qd, queryBiases[l]);
            addBias(k, r * kvd, keyBiases[l]);
            addBias(v, r * kvd, valueBiases[l]);
            rope.rotate(q, r, config.numHeads(), ropeTables);
            rope.rotate(k, r, config.numKvHeads(), ropeTables);
            KvCache cache = chunks.get(rowChunk[r]).cache();
            System.arraycopy(k, r * kvd, cache.keys(l), positions[r] * kvd, kvd);
            System.arraycopy(v, r * kvd, cache.values(l), positions[r] * kvd, kvd);
        }
        float[] attended = new float[rows * qd];
        int heads = config.numHeads();
        Parallel.forEach(rows * heads, task -> {
            int r = task / heads, h = task % heads;
            attendOneHead(chunks.get(rowChunk[r]).cache(), l, positions[r], q, r * qd + h * config.headDim(),
                    h / config.groupSize(), attended);
        });
        float[] out = new float[rows * d];
        MatMul.matmul(w.outputProj(), attended, out, rows);
        for (int i = 0; i < out.length; i++) x[i] += out[i];
    }

    /** Causal (and optionally windowed) softmax attention of one query head against its cache. */
    private void attendOneHead(KvCache cache, int layer, int position, float[] q, int qOffset, int kvHead, float[] out) {
        int hd = config.headDim(), kvd = config.kvDim();
        int first = config.slidingWindow() > 0 ? Math.max(0, position - config.slidingWindow() + 1) : 0;
        float[] keys = cache.keys(layer), values = cache.values(layer);
        float[] scores = new float[position - first + 1];
        float scale = (float) (1.0 / Math.sqrt(hd));
        float max = Float.NEGATIVE_INFINITY;
        for (int j = first; j <= position; j++) {
            float s = VectorOps.dot(q, qOffset, keys, j * kvd + kvHead * hd, hd) * scale;
            scores[j - first] = s;
            if (s > max) max = s;
        }
        float sum = 0;
        for (int j = 0; j < scores.length; j++) {
            scores[j] = (float) Math.exp(scores[j] - max);
            sum += scores[j];
        }
        float inv = 1f / sum;
        for (int j = first; j <= position; j++) {
            VectorOps.axpy(scores[j - first] * inv, values, j * kvd + kvHead * hd, out, qOffset, hd);
        }
    }

    private void mlpBlock(int l, int rows, float[] x, float[] normed) {
        LayerWeights w = weights.layers().get(l);
        int d = config.hiddenSize(), ff = config.intermediateSize();
        rmsNormRows(x, normed, rows, postNorms[l]);
        float[] gate = new float[rows * ff], up = new float[rows * ff];
        // silu(gate) · up, applied by each core to its own rows as soon as they are computed.
        MatMul.matmulShared(new Tensor[] {w.gateProj(), w.upProj()}, normed, new float[][] {gate, up}, rows,
                (from, to) -> SwiGlu.forward(gate, up, gate, from, to));
        float[] down = new float[rows * d];
        MatMul.matmul(w.downProj(), gate, down, rows);
        for (int i = 0; i < down.length; i++) x[i] += down[i];
    }

    private float[] logits(float[] x, int count, int[] selectedRows) {
        int d = config.hiddenSize();
        float[] picked = new float[count * d];
        for (int i = 0; i < count; i++) {
            int row = selectedRows == null ? i : selectedRows[i];
            rmsNorm(x, row * d, picked, i * d, finalNorm);
        }
        float[] logits = new float[count * config.vocabSize()];
        MatMul.matmul(weights.lmHead(), picked, logits, count);
        return logits;
    }

    private void rmsNormRows(float[] x, float[] out, int rows, float[] weight) {
        int d = config.hiddenSize();
        for (int r = 0; r < rows; r++) rmsNorm(x, r * d, out, r * d, weight);
    }

    private void rmsNorm(float[] x, int xo, float[] out, int oo, float[] weight) {
        int d = weight.length;
        float ss = 0;
        for (int i = 0; i < d; i++) ss += x[xo + i] * x[xo + i];
        float inv = (float) (1.0 / Math.sqrt(ss / d + config.rmsNormEps()));
        for (int i = 0; i < d; i++) out[oo + i] = weight[i] * (inv * x[xo + i]);
    }

    private static void addBias(float[] x, int offset, float[] bias) {
        if (bias == null) return;
        for (int i = 0; i < bias.length; i++) x[offset + i] += bias[i];
    }

    /** Parameters, bytes of weights as stored, and how they are stored, for `t2 info`. */
    public String describe() {
        long params = weights.parameterCount();
        java.util.Map<String, Long> byDtype = new java.util.TreeMap<>();
        for (Tensor t : weights.byName().values()) byDtype.merge(t.dtype().name(), t.size(), Long::sum);
        return String.format("%s: %,d parameters, %.1f MiB of weights %s", config.architecture(), params,
                weights.byteSize() / 1048576.0, byDtype);
    }
}
