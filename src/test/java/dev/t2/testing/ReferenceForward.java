package dev.t2.testing;

import dev.t2.model.ModelConfig;
import java.util.Map;

/**
 * A deliberately naive Llama-family forward pass in double precision, written from the Hugging Face
 * modeling code (rotate_half RoPE, repeat_kv, causal mask over the whole sequence, no cache), as an
 * independent reference for the engine's logits.
 */
public final class ReferenceForward {
    private ReferenceForward() {}

    /** Logits [tokens.length][vocab] for every position. */
    public static double[][] logits(ModelConfig c, Map<String, float[]> w, int[] tokens) {
        int n = tokens.length, d = c.hiddenSize(), hd = c.headDim();
        double[][] h = new double[n][d];
        float[] emb = w.get("model.embed_tokens.weight");
        for (int t = 0; t < n; t++) for (int i = 0; i < d; i++) h[t][i] = emb[tokens[t] * d + i];
        double[] invFreq = new double[hd / 2];
        float[] scaled = c.ropeScaling().inverseFrequencies(hd, c.ropeTheta());
        for (int i = 0; i < hd / 2; i++) invFreq[i] = scaled[i];
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            double[][] x = norm(h, w.get(p + "input_layernorm.weight"), c.rmsNormEps());
            double[][] q = linear(x, w.get(p + "self_attn.q_proj.weight"), w.get(p + "self_attn.q_proj.bias"), c.queryDim());
            double[][] k = linear(x, w.get(p + "self_attn.k_proj.weight"), w.get(p + "self_attn.k_proj.bias"), c.kvDim());
            double[][] v = linear(x, w.get(p + "self_attn.v_proj.weight"), w.get(p + "self_attn.v_proj.bias"), c.kvDim());
            for (int t = 0; t < n; t++) {
                rotateHalf(q[t], c.numHeads(), hd, t, invFreq, c.ropeInterleaved());
                rotateHalf(k[t], c.numKvHeads(), hd, t, invFreq, c.ropeInterleaved());
            }
            double[][] att = new double[n][c.queryDim()];
            for (int head = 0; head < c.numHeads(); head++) {
                int kvHead = head / (c.numHeads() / c.numKvHeads());
                for (int t = 0; t < n; t++) {
                    double[] s = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= t; j++) {
                        boolean visible = c.slidingWindow() <= 0 || t - j < c.slidingWindow();
                        double dot = 0;
                        for (int i = 0; i < hd; i++) dot += q[t][head * hd + i] * k[j][kvHead * hd + i];
                        s[j] = visible ? dot / Math.sqrt(hd) : Double.NEGATIVE_INFINITY;
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j <= t; j++) sum += s[j] = Math.exp(s[j] - max);
                    for (int j = 0; j <= t; j++) for (int i = 0; i < hd; i++) att[t][head * hd + i] += s[j] / sum * v[j][kvHead * hd + i];
                }
            }
            add(h, linear(att, w.get(p + "self_attn.o_proj.weight"), null, d));
            x = norm(h, w.get(p + "post_attention_layernorm.weight"), c.rmsNormEps());
            double[][] g = linear(x, w.get(p + "mlp.gate_proj.weight"), null, c.intermediateSize());
            double[][] u = linear(x, w.get(p + "mlp.up_proj.weight"), null, c.intermediateSize());
            for (int t = 0; t < n; t++) for (int i = 0; i < g[t].length; i++) g[t][i] = g[t][i] / (1 + Math.exp(-g[t][i])) * u[t][i];
            add(h, linear(g, w.get(p + "mlp.down_proj.weight"), null, d));
        }
        double[][] out = norm(h, w.get("model.norm.weight"), c.rmsNormEps());
        float[] head = w.containsKey("lm_head.weight") ? w.get("lm_head.weight") : emb;
        return linear(out, head, null, c.vocabSize());
    }

    private static void rotateHalf(double[] x, int heads, int hd, int pos, double[] invFreq, boolean interleaved) {
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < hd / 2; i++) {
                double angle = pos * invFreq[i], cos = Math.cos(angle), sin = Math.sin(angle);
                int a = interleaved ? h * hd + 2 * i : h * hd + i;
                int b = interleaved ? a + 1 : a + hd / 2;
                double x1 = x[a], x2 = x[b];
                x[a] = x1 * cos - x2 * sin;
                x[b] = x2 * cos + x1 * sin;
            }
        }
    }

    private static double[][] norm(double[][] h, float[] weight, double eps) {
        double[][] out = new double[h.length][];
        for (int t = 0; t < h.length; t++) {
            double ss = 0;
            for (double v : h[t]) ss += v * v;
            double inv = 1 / Math.sqrt(ss / h[t].length + eps);
            out[t] = new double[h[t].length];
            for (int i = 0; i < h[t].length; i++) out[t][i] = h[t][i] * inv * weight[i];
        }
        return out;
    }

    private static double[][] linear(double[][] x, float[] w, float[] bias, int outDim) {
        int in = x[0].length;
        double[][] y = new double[x.length][outDim];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < outDim; o++) {
                double s = bias == null ? 0 : bias[o];
                for (int i = 0; i < in; i++) s += w[o * in + i] * x[t][i];
                y[t][o] = s;
            }
        }
        return y;
    }

    private static void add(double[][] h, double[][] delta) {
        for (int t = 0; t < h.length; t++) for (int i = 0; i < h[t].length; i++) h[t][i] += delta[t][i];
    }
}
