package dev.t2.model;

import dev.t2.tensor.Parallel;
import dev.t2.tensor.SwiGlu;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Forward and hand-written reverse pass of the Llama-family graph over a batch of whole sequences, adding
 * dL/dθ into every parameter's gradient. Sequences of different lengths are packed as rows (each with its own
 * positions and causal attention), so no compute goes to padding. Attention saves only each row's
 * log-sum-exp and recomputes probabilities in the backward pass (memory O(rows), not O(rows²)); with
 * {@code recompute}, only each layer's input is kept and the layer's activations are rebuilt during backward.
 *
 * <p>Activation memory per layer without recompute: rows × (6·hidden + 2·q + 2·kv + 3·mlp) floats;
 * with recompute: rows × hidden per layer plus one layer's activations.
 */
public final class Backprop {
    private Backprop() {}

    /** Loss value, Σ log p of the weighted targets per sequence, rows that entered the loss, and the KL part of the loss. */
    public record Result(double loss, double[] sequenceLogProbs, int weightedTargets, double kl) {}

    /** Rows of a packed batch: which sequence each row belongs to and its position there. */
    record Packing(int rows, int[] start, int[] length, int[] rowSequence, int[] positions) {
        static Packing of(List<int[]> sequences) {
            int n = sequences.size(), rows = 0;
            int[] start = new int[n], length = new int[n];
            for (int s = 0; s < n; s++) {
                start[s] = rows;
                length[s] = sequences.get(s).length;
                rows += length[s];
            }
            int[] rowSeq = new int[rows], pos = new int[rows];
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < length[s]; i++) {
                    rowSeq[start[s] + i] = s;
                    pos[start[s] + i] = i;
                }
            }
            return new Packing(rows, start, length, rowSeq, pos);
        }
    }

    /** What one layer's forward leaves for its backward. */
    static final class LayerActivations {
        float[] input, normed1, invRms1, q, k, v, lse, attended, hidden, normed2, invRms2, gate, up, act;
    }

    public static Result run(TrainableWeights w, TokenLoss loss, boolean recompute) {
        return run(w, loss, recompute, null);
    }

    /**
     * The same loss and gradients as one {@link #run}, computed over groups of whole sequences of at most
     * {@code maxRows} tokens each (gradient accumulation), so activation memory stays bounded whatever the batch.
     *
     * @param mayRecompute recompute a group's activations in the backward when keeping them would not fit
     *                     ({@link #recomputeNeeded}); false always keeps them
     */
    public static Result runInMicroBatches(TrainableWeights w, TokenLoss loss, boolean mayRecompute, TrainableWeights reference, int maxRows) {
        return inMicroBatches(loss, maxRows, part -> run(w, part, mayRecompute && recomputeNeeded(w.config(), part.rows()), reference));
    }

    /**
     * Whether a pass over {@code rows} tokens should recompute each layer's activations in the backward instead of keeping
     * them: kept, every layer's would take more than a quarter of the heap (a 2.5 M-parameter model keeps them at 4,096
     * rows in 260 MB and trains a quarter faster; Qwen2.5-0.5B would need 8.3 GB).
     */
    public static boolean recomputeNeeded(ModelConfig c, int rows) {
        long perRow = 5L * c.hiddenSize() + 2L * c.queryDim() + 2L * c.kvDim() + 3L * c.intermediateSize() + c.numHeads() + 2;
        return perRow * rows * c.numLayers() * Float.BYTES > Runtime.getRuntime().maxMemory() / 4;
    }

    /** Runs {@code pass} on consecutive groups of whole sequences of at most {@code maxRows} tokens and sums the results. */
    public static Result inMicroBatches(TokenLoss loss, int maxRows, java.util.function.Function<TokenLoss, Result> pass) {
        double total = 0, kl = 0;
        int targets = 0;
        double[] logProbs = new double[loss.sequences().size()];
        int from = 0;
        while (from < loss.sequences().size()) {
            int to = from, rows = 0;
            while (to < loss.sequences().size() && (to == from || rows + loss.sequences().get(to).length <= maxRows)) rows += loss.sequences().get(to++).length;
            List<int[]> seqs = loss.sequences().subList(from, to);
            TokenLoss part = new TokenLoss(seqs, loss.weights().subList(from, to), loss.hasKl() ? loss.klWeights().subList(from, to) : null);
            Result r = pass.apply(part);
            total += r.loss();
            kl += r.kl();
            targets += r.weightedTargets();
            System.arraycopy(r.sequenceLogProbs(), 0, logProbs, from, to - from);
            from = to;
        }
        return new Result(total, logProbs, targets, kl);
    }

    /**
     * @param reference the base model for the KL term (its final hidden states are computed first, without
     *                  gradients); needed when {@code loss.hasKl()}
     */
    public static Result run(TrainableWeights w, TokenLoss loss, boolean recompute, TrainableWeights reference) {
        return run(w, loss, recompute, reference, null);
    }

    /**
     * The same with {@code hook}'s term added to the residual stream after each layer and run backwards, so its
     * parameters get their gradients through every layer above it (CALM's cross-attention); rows are the
     * sequences' tokens in order.
     */
    public static Result run(TrainableWeights w, TokenLoss loss, boolean recompute, TrainableWeights reference, TrainableResidualHook hook) {
        if (loss.hasKl() && reference == null) throw new IllegalArgumentException("a KL term needs the reference (base) model");
        float[] referenceNormed = loss.hasKl() ? finalHidden(reference, loss) : null;
        ModelConfig c = w.config();
        Packing pack = Packing.of(loss.sequences());
        int rows = pack.rows(), d = c.hiddenSize();
        Rope rope = new Rope(c);
        float[][] ropeTables = rope.tables(pack.positions());

        float[] x = new float[rows * d];
        for (int s = 0; s < loss.sequences().size(); s++) {
            int[] seq = loss.sequences().get(s);
            for (int i = 0; i < seq.length; i++) {
                if (seq[i] < 0 || seq[i] >= c.vocabSize()) throw new IllegalArgumentException("sequence " + s + ": token " + seq[i] + " outside the vocabulary");
                w.embed(seq[i], x, (pack.start()[s] + i) * d);
            }
        }
        List<LayerActivations> saved = new ArrayList<>();
        float[] embedded = hook == null ? null : hook.afterLayer(-1, x);
        if (embedded != null) x = sum(x, embedded);
        for (int l = 0; l < c.numLayers(); l++) {
            LayerActivations a = layerForward(w, l, x, pack, rope, ropeTables);
            x = output(w, l, a);
            float[] term = hook == null ? null : hook.afterLayer(l, x);
            if (term != null) x = sum(x, term); // a new array: the hook may keep the residual it was given
            if (recompute) { // keep the input only; backward rebuilds the rest
                LayerActivations onlyInput = new LayerActivations();
                onlyInput.input = a.input;
                a = onlyInput;
            }
            saved.add(a);
        }
        float[] finalInvRms = new float[rows];
        float[] normed = rmsNorm(x, rows, d, w.finalNorm().value(), c.rmsNormEps(), finalInvRms);

        float[] dNormed = new float[rows * d];
        double[] seqLogProbs = new double[loss.sequences().size()];
        var lossValue = new double[2]; // total, KL part
        int targets = headAndLoss(w, loss, pack, normed, dNormed, seqLogProbs, lossValue, reference, referenceNormed);

        float[] dx = rmsNormBackward(x, finalInvRms, w.finalNorm(), dNormed, rows, d);
        for (int l = c.numLayers() - 1; l >= 0; l--) {
            LayerActivations a = saved.get(l);
            if (recompute) a = layerForward(w, l, a.input, pack, rope, ropeTables);
            float[] throughHook = hook == null ? null : hook.backward(l, dx);
            if (throughHook != null) add(dx, throughHook);
            dx = layerBackward(w, l, a, dx, pack, rope, ropeTables);
            saved.set(l, null); // free as we go
        }
        float[] throughEmbeddingHook = hook == null ? null : hook.backward(-1, dx);
        if (throughEmbeddingHook != null) add(dx, throughEmbeddingHook);
        Parameter emb = w.embedding();
        if (emb != null) {
            for (int s = 0; s < loss.sequences().size(); s++) {
                int[] seq = loss.sequences().get(s);
                for (int i = 0; i < seq.length; i++) {
                    int r = pack.start()[s] + i;
                    for (int j = 0; j < d; j++) emb.grad()[seq[i] * d + j] += dx[r * d + j];
                }
            }
        }
        return new Result(lossValue[0], seqLogProbs, targets, lossValue[1]);
    }

    /** The final normed hidden states [rows, hidden] of every row, forward only (for the KL reference). */
    static float[] finalHidden(TrainableWeights w, TokenLoss loss) {
        ModelConfig c = w.config();
        Packing pack = Packing.of(loss.sequences());
        Rope rope = new Rope(c);
        float[][] ropeTables = rope.tables(pack.positions());
        int d = c.hiddenSize();
        float[] x = new float[pack.rows() * d];
        for (int s = 0; s < loss.sequences().size(); s++) {
            int[] seq = loss.sequences().get(s);
            for (int i = 0; i < seq.length; i++) w.embed(seq[i], x, (pack.start()[s] + i) * d);
        }
        for (int l = 0; l < c.numLayers(); l++) x = output(w, l, layerForward(w, l, x, pack, rope, ropeTables));
        return rmsNorm(x, pack.rows(), d, w.finalNorm().value(), c.rmsNormEps(), new float[pack.rows()]);
    }

    /** Layer output x_out = hidden + down(act). */
    private static float[] output(TrainableWeights w, int l, LayerActivations a) {
        TrainableWeights.Layer layer = w.layers().get(l);
        int rows = a.invRms1.length, d = w.config().hiddenSize();
        float[] out = new float[rows * d];
        layer.down().forward(a.act, rows, out);
        for (int i = 0; i < out.length; i++) out[i] += a.hidden[i];
        return out;
    }

    static LayerActivations layerForward(TrainableWeights w, int l, float[] input, Packing pack, Rope rope, float[][] ropeTables) {
        ModelConfig c = w.config();
        TrainableWeights.Layer layer = w.layers().get(l);
        int rows = pack.rows(), d = c.hiddenSize(), qd = c.queryDim(), kvd = c.kvDim(), ff = c.intermediateSize();
        LayerActivations a = new LayerActivations();
        a.input = input;
        a.invRms1 = new float[rows];
        a.normed1 = rmsNorm(input, rows, d, layer.inputNorm().value(), c.rmsNormEps(), a.invRms1);
        a.q = new float[rows * qd];
        a.k = new float[rows * kvd];
        a.v = new float[rows * kvd];
        layer.query().forward(a.normed1, rows, a.q);
        layer.key().forward(a.normed1, rows, a.k);
        layer.value().forward(a.normed1, rows, a.v);
        for (int r = 0; r < rows; r++) {
            addBias(a.q, r * qd, layer.queryBias());
            addBias(a.k, r * kvd, layer.keyBias());
            addBias(a.v, r * kvd, layer.valueBias());
            rope.rotate(a.q, r, c.numHeads(), ropeTables);
            rope.rotate(a.k, r, c.numKvHeads(), ropeTables);
        }
        a.attended = new float[rows * qd];
        a.lse = new float[rows * c.numHeads()];
        PackedAttention.forward(PackedAttention.Heads.of(c), pack.start(), pack.length(), a.q, a.k, a.v, a.attended, a.lse);
        float[] o = new float[rows * d];
        layer.output().forward(a.attended, rows, o);
        a.hidden = new float[rows * d];
        for (int i = 0; i < o.length; i++) a.hidden[i] = input[i] + o[i];
        a.invRms2 = new float[rows];
        a.normed2 = rmsNorm(a.hidden, rows, d, layer.postAttentionNorm().value(), c.rmsNormEps(), a.invRms2);
        a.gate = new float[rows * ff];
        a.up = new float[rows * ff];
        layer.gate().forward(a.normed2, rows, a.gate);
        layer.up().forward(a.normed2, rows, a.up);
        a.act = new float[rows * ff];
        SwiGlu.forward(a.gate, a.up, a.act, a.act.length);
        return a;
    }

    private static float[] layerBackward(TrainableWeights w, int l, LayerActivations a, float[] dOut, Packing pack,
                                         Rope rope, float[][] ropeTables) {
        ModelConfig c = w.config();
        TrainableWeights.Layer layer = w.layers().get(l);
        int rows = pack.rows(), d = c.hiddenSize(), qd = c.queryDim(), kvd = c.kvDim(), ff = c.intermediateSize();
        float[] dAct = new float[rows * ff];
        layer.down().backward(a.act, rows, dOut, dAct);
        float[] dGate = new float[rows * ff], dUp = new float[rows * ff];
        SwiGlu.backward(a.gate, a.up, dAct, dGate, dUp, dAct.length);
        float[] dNormed2 = new float[rows * d], tmp = new float[rows * d];
        layer.gate().backward(a.normed2, rows, dGate, dNormed2);
        layer.up().backward(a.normed2, rows, dUp, tmp);
        add(dNormed2, tmp);
        float[] dHidden = rmsNormBackward(a.hidden, a.invRms2, layer.postAttentionNorm(), dNormed2, rows, d);
        add(dHidden, dOut);

        float[] dAttended = new float[rows * qd];
        layer.output().backward(a.attended, rows, dHidden, dAttended);
        float[] dq = new float[rows * qd], dk = new float[rows * kvd], dv = new float[rows * kvd];
        PackedAttention.backward(PackedAttention.Heads.of(c), pack.start(), pack.length(), a.q, a.k, a.v, a.attended, a.lse, dAttended, dq, dk, dv);
        for (int r = 0; r < rows; r++) {
            rope.rotateBack(dq, r, c.numHeads(), ropeTables);
            rope.rotateBack(dk, r, c.numKvHeads(), ropeTables);
            addBiasGrad(layer.queryBias(), dq, r * qd);
            addBiasGrad(layer.keyBias(), dk, r * kvd);
            addBiasGrad(layer.valueBias(), dv, r * kvd);
        }
        float[] dNormed1 = new float[rows * d];
        layer.query().backward(a.normed1, rows, dq, dNormed1);
        layer.key().backward(a.normed1, rows, dk, tmp);
        add(dNormed1, tmp);
        layer.value().backward(a.normed1, rows, dv, tmp);
        add(dNormed1, tmp);
        float[] dInput = rmsNormBackward(a.input, a.invRms1, layer.inputNorm(), dNormed1, rows, d);
        add(dInput, dHidden);
        return dInput;
    }

    /**
     * LM head and loss on the rows that carry weight only, in chunks so logits never need rows × vocab floats.
     * With a KL term, the reference's logits of the same rows give β·(πθ − π_ref) as the extra logit gradient.
     */
    private static int headAndLoss(TrainableWeights w, TokenLoss loss, Packing pack, float[] normed, float[] dNormed,
                                   double[] seqLogProbs, double[] lossValue, TrainableWeights reference, float[] referenceNormed) {
        int d = w.config().hiddenSize(), vocab = w.config().vocabSize();
        List<Integer> weighted = new ArrayList<>();
        for (int r = 0; r < pack.rows(); r++) {
            int s = pack.rowSequence()[r], pos = pack.positions()[r];
            if (loss.weights().get(s)[pos] != 0 || loss.hasKl() && loss.klWeights().get(s)[pos] != 0) weighted.add(r);
        }
        int chunk = Math.max(1, Math.min(64, (1 << 22) / vocab));
        for (int from = 0; from < weighted.size(); from += chunk) {
            int m = Math.min(chunk, weighted.size() - from);
            float[] h = new float[m * d], logits = new float[m * vocab], dh = new float[m * d];
            for (int i = 0; i < m; i++) System.arraycopy(normed, weighted.get(from + i) * d, h, i * d, d);
            w.lmHead().forward(h, m, logits);
            float[] refLogits = null;
            if (referenceNormed != null) {
                float[] hr = new float[m * d];
                for (int i = 0; i < m; i++) System.arraycopy(referenceNormed, weighted.get(from + i) * d, hr, i * d, d);
                refLogits = new float[m * vocab];
                reference.lmHead().forward(hr, m, refLogits);
            }
            double[] chunkLogProb = new double[m], chunkKl = new double[m];
            final int base = from;
            final float[] ref = refLogits;
            Parallel.forEach(m, i -> {
                int r = weighted.get(base + i), s = pack.rowSequence()[r], pos = pack.positions()[r];
                float weight = loss.weights().get(s)[pos];
                float beta = loss.hasKl() ? loss.klWeights().get(s)[pos] : 0;
                int target = loss.sequences().get(s)[pos + 1];
                int o = i * vocab;
                double lse = logSumExp(logits, o, vocab);
                chunkLogProb[i] = logits[o + target] - lse;
                double refLse = beta != 0 ? logSumExp(ref, o, vocab) : 0, kl = 0;
                for (int v = 0; v < vocab; v++) {
                    double logp = logits[o + v] - lse, p = Math.exp(logp), grad = weight * p;
                    if (beta != 0) {
                        double logRef = ref[o + v] - refLse, pRef = Math.exp(logRef);
                        kl += pRef * (logRef - logp);
                        grad += beta * (p - pRef);
                    }
                    logits[o + v] = (float) grad;
                }
                logits[o + target] -= weight;
                chunkKl[i] = beta * kl;
            });
            for (int i = 0; i < m; i++) {
                int r = weighted.get(from + i), s = pack.rowSequence()[r];
                float weight = loss.weights().get(s)[pack.positions()[r]];
                if (weight != 0) seqLogProbs[s] += chunkLogProb[i];
                lossValue[0] += -weight * chunkLogProb[i] + chunkKl[i];
                lossValue[1] += chunkKl[i];
            }
            w.lmHead().backward(h, m, logits, dh);
            for (int i = 0; i < m; i++) {
                int r = weighted.get(from + i);
                for (int j = 0; j < d; j++) dNormed[r * d + j] += dh[i * d + j];
            }
        }
        return weighted.size();
    }

    private static double logSumExp(float[] x, int offset, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int v = 0; v < n; v++) max = Math.max(max, x[offset + v]);
        double sum = 0;
        for (int v = 0; v < n; v++) sum += Math.exp(x[offset + v] - max);
        return max + Math.log(sum);
    }

    static float[] rmsNorm(float[] x, int rows, int d, float[] weight, float eps, float[] invRms) {
        float[] out = new float[rows * d];
        for (int r = 0; r < rows; r++) {
            double ss = 0;
            for (int i = 0; i < d; i++) ss += x[r * d + i] * x[r * d + i];
            float inv = (float) (1.0 / Math.sqrt(ss / d + eps));
            invRms[r] = inv;
            for (int i = 0; i < d; i++) out[r * d + i] = weight[i] * (inv * x[r * d + i]);
        }
        return out;
    }

    /** dx = r·(w⊙dy) − (r³/d)·x·Σ(w⊙dy⊙x); adds Σ_rows dy⊙x·r to the norm weight's gradient. */
    static float[] rmsNormBackward(float[] x, float[] invRms, Parameter weight, float[] dy, int rows, int d) {
        float[] dx = new float[rows * d];
        float[] w = weight.value(), gw = weight.grad();
        for (int r = 0; r < rows; r++) {
            float inv = invRms[r];
            double dot = 0;
            for (int i = 0; i < d; i++) {
                dot += w[i] * dy[r * d + i] * x[r * d + i];
                gw[i] += dy[r * d + i] * x[r * d + i] * inv;
            }
            float k = (float) (inv * inv * inv * dot / d);
            for (int i = 0; i < d; i++) dx[r * d + i] = inv * w[i] * dy[r * d + i] - k * x[r * d + i];
        }
        return dx;
    }

    private static void addBias(float[] x, int offset, Parameter bias) {
        if (bias == null) return;
        float[] b = bias.value();
        for (int i = 0; i < b.length; i++) x[offset + i] += b[i];
    }

    private static void addBiasGrad(Parameter bias, float[] dy, int offset) {
        if (bias == null) return;
        float[] g = bias.grad();
        for (int i = 0; i < g.length; i++) g[i] += dy[offset + i];
    }

    private static float[] sum(float[] a, float[] b) {
        float[] out = a.clone();
        add(out, b);
        return out;
    }

    private static void add(float[] into, float[] other) {
        for (int i = 0; i < into.length; i++) into[i] += other[i];
    }
}
