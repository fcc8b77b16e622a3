package dev.t2.model;

import dev.t2.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** All stored weights of a Llama-family model, checked against its config. */
public record LlamaWeights(Tensor embedding, List<LayerWeights> layers, Tensor finalNorm, Tensor lmHead) {

    public LlamaWeights {
        layers = List.copyOf(layers);
    }

    /**
     * Collects the weights by their Hugging Face names through {@code lookup} (null when absent) and checks
     * every shape against the config. {@code source} names the file(s) for error messages.
     */
    public static LlamaWeights fromNames(ModelConfig c, Function<String, Tensor> lookup, String source) {
        var get = new Object() {
            Tensor required(String name, long... shape) {
                Tensor t = lookup.apply(name);
                if (t == null) throw new IllegalArgumentException(source + ": missing tensor '" + name + "'");
                return checked(t, name, shape);
            }

            Tensor optional(String name, long... shape) {
                Tensor t = lookup.apply(name);
                return t == null ? null : checked(t, name, shape);
            }

            Tensor checked(Tensor t, String name, long... shape) {
                if (!Arrays.equals(t.shape(), shape)) {
                    throw new IllegalArgumentException(source + ": tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                            + " but the config needs " + Arrays.toString(shape));
                }
                return t;
            }
        };
        int d = c.hiddenSize(), q = c.queryDim(), kv = c.kvDim(), ff = c.intermediateSize();
        Tensor embedding = get.required("model.embed_tokens.weight", c.vocabSize(), d);
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            Tensor qb = null, kb = null, vb = null;
            if (c.attentionBias()) {
                qb = get.required(p + "self_attn.q_proj.bias", q);
                kb = get.required(p + "self_attn.k_proj.bias", kv);
                vb = get.required(p + "self_attn.v_proj.bias", kv);
            }
            layers.add(new LayerWeights(
                    get.required(p + "input_layernorm.weight", d),
                    get.required(p + "self_attn.q_proj.weight", q, d),
                    get.required(p + "self_attn.k_proj.weight", kv, d),
                    get.required(p + "self_attn.v_proj.weight", kv, d),
                    get.required(p + "self_attn.o_proj.weight", d, q),
                    qb, kb, vb,
                    get.required(p + "post_attention_layernorm.weight", d),
                    get.required(p + "mlp.gate_proj.weight", ff, d),
                    get.required(p + "mlp.up_proj.weight", ff, d),
                    get.required(p + "mlp.down_proj.weight", d, ff)));
        }
        Tensor norm = get.required("model.norm.weight", d);
        Tensor head = get.optional("lm_head.weight", c.vocabSize(), d);
        if (head == null) {
            if (!c.tieWordEmbeddings()) throw new IllegalArgumentException(source + ": missing tensor 'lm_head.weight' (tie_word_embeddings is false)");
            head = embedding;
        }
        return new LlamaWeights(embedding, layers, norm, head);
    }

    /**
     * These weights with each projection matrix (named like "model.layers.3.mlp.up_proj") passed through
     * {@code replace}; embedding, norms and head are shared, not copied.
     */
    public LlamaWeights withProjections(java.util.function.BiFunction<String, Tensor, Tensor> replace) {
        List<LayerWeights> out = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            LayerWeights w = layers.get(l);
            String p = "model.layers." + l + ".";
            out.add(w.withMatrices(replace.apply(p + "self_attn.q_proj", w.queryProj()), replace.apply(p + "self_attn.k_proj", w.keyProj()),
                    replace.apply(p + "self_attn.v_proj", w.valueProj()), replace.apply(p + "self_attn.o_proj", w.outputProj()),
                    replace.apply(p + "mlp.gate_proj", w.gateProj()), replace.apply(p + "mlp.up_proj", w.upProj()),
                    replace.apply(p + "mlp.down_proj", w.downProj())));
        }
        return new LlamaWeights(embedding, out, finalNorm, lmHead);
    }

    /** Every tensor by its Hugging Face name (the tied head is listed once, as the embedding). */
    public Map<String, Tensor> byName() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("model.embed_tokens.weight", embedding);
        for (int l = 0; l < layers.size(); l++) {
            LayerWeights w = layers.get(l);
            String p = "model.layers." + l + ".";
            out.put(p + "input_layernorm.weight", w.inputNorm());
            out.put(p + "self_attn.q_proj.weight", w.queryProj());
            out.put(p + "self_attn.k_proj.weight", w.keyProj());
            out.put(p + "self_attn.v_proj.weight", w.valueProj());
            out.put(p + "self_attn.o_proj.weight", w.outputProj());
            if (w.queryBias() != null) {
                out.put(p + "self_attn.q_proj.bias", w.queryBias());
                out.put(p + "self_attn.k_proj.bias", w.keyBias());
                out.put(p + "self_attn.v_proj.bias", w.valueBias());
            }
            out.put(p + "post_attention_layernorm.weight", w.postAttentionNorm());
            out.put(p + "mlp.gate_proj.weight", w.gateProj());
            out.put(p + "mlp.up_proj.weight", w.upProj());
            out.put(p + "mlp.down_proj.weight", w.downProj());
        }
        out.put("model.norm.weight", finalNorm);
        if (lmHead != embedding) out.put("lm_head.weight", lmHead);
        return out;
    }

    public long parameterCount() {
        long n = 0;
        for (Tensor t : byName().values()) n += t.size();
        return n;
    }

    public long byteSize() {
        long n = 0;
        for (Tensor t : byName().values()) n += t.data().byteSize();
        return n;
    }
}
