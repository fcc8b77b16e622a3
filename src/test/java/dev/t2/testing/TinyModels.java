package dev.t2.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.t2.io.SafetensorsWriter;
import dev.t2.model.ModelConfig;
import dev.t2.tensor.DType;
import dev.t2.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Tiny random-weight models with a real config's architecture (rope, bias, tying, GQA ratio, scaling),
 * shrunk to a few layers and a small width, written in the real Hugging Face file layout.
 */
public final class TinyModels {
    private TinyModels() {}

    /** A shrunk copy of a real config.json: hidden 64, 2 layers, MLP 96, heads keeping the GQA ratio, head dim 16. */
    public static ObjectNode shrink(Path realConfig, int vocabSize) throws IOException {
        ObjectNode c = (ObjectNode) new ObjectMapper().readTree(Files.readString(realConfig));
        int heads = c.get("num_attention_heads").asInt();
        int kv = c.path("num_key_value_heads").asInt(heads);
        int group = heads / kv;
        int newKv = group >= 4 ? 1 : 2;
        int newHeads = newKv * group;
        int headDim = 16;
        c.put("hidden_size", 64);
        c.put("intermediate_size", 96);
        c.put("num_hidden_layers", 2);
        c.put("num_attention_heads", newHeads);
        c.put("num_key_value_heads", newKv);
        c.put("head_dim", headDim);
        c.put("vocab_size", vocabSize);
        c.remove("layer_types");
        return c;
    }

    /** Random weights for every tensor the config needs, as f32 values keyed by HF name. */
    public static Map<String, float[]> randomWeights(ModelConfig c, long seed) {
        Random rnd = new Random(seed);
        Map<String, float[]> w = new LinkedHashMap<>();
        int d = c.hiddenSize(), q = c.queryDim(), kv = c.kvDim(), ff = c.intermediateSize();
        w.put("model.embed_tokens.weight", gaussian(rnd, c.vocabSize() * d, 1.0));
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            w.put(p + "input_layernorm.weight", around1(rnd, d));
            w.put(p + "self_attn.q_proj.weight", gaussian(rnd, q * d, 1 / Math.sqrt(d)));
            w.put(p + "self_attn.k_proj.weight", gaussian(rnd, kv * d, 1 / Math.sqrt(d)));
            w.put(p + "self_attn.v_proj.weight", gaussian(rnd, kv * d, 1 / Math.sqrt(d)));
            if (c.attentionBias()) {
                w.put(p + "self_attn.q_proj.bias", gaussian(rnd, q, 0.1));
                w.put(p + "self_attn.k_proj.bias", gaussian(rnd, kv, 0.1));
                w.put(p + "self_attn.v_proj.bias", gaussian(rnd, kv, 0.1));
            }
            w.put(p + "self_attn.o_proj.weight", gaussian(rnd, d * q, 1 / Math.sqrt(q)));
            w.put(p + "post_attention_layernorm.weight", around1(rnd, d));
            w.put(p + "mlp.gate_proj.weight", gaussian(rnd, ff * d, 1 / Math.sqrt(d)));
            w.put(p + "mlp.up_proj.weight", gaussian(rnd, ff * d, 1 / Math.sqrt(d)));
            w.put(p + "mlp.down_proj.weight", gaussian(rnd, d * ff, 1 / Math.sqrt(ff)));
        }
        w.put("model.norm.weight", around1(rnd, d));
        if (!c.tieWordEmbeddings()) w.put("lm_head.weight", gaussian(rnd, c.vocabSize() * d, 1 / Math.sqrt(d)));
        return w;
    }

    /** The weights as tensors of the given dtype with the shapes the config implies. */
    public static Map<String, Tensor> tensors(ModelConfig c, Map<String, float[]> weights, DType dtype) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        int d = c.hiddenSize();
        weights.forEach((name, values) -> {
            long[] shape = values.length == d || name.endsWith(".bias") ? new long[] {values.length}
                    : new long[] {values.length / cols(c, name), cols(c, name)};
            out.put(name, Tensor.encode(name, dtype, values, shape));
        });
        return out;
    }

    private static int cols(ModelConfig c, String name) {
        if (name.endsWith("o_proj.weight")) return c.queryDim();
        if (name.endsWith("down_proj.weight")) return c.intermediateSize();
        return c.hiddenSize();
    }

    /** Writes config.json + model.safetensors of a tiny model into {@code dir}; returns its parsed config. */
    public static ModelConfig writeHuggingFace(Path dir, ObjectNode config, DType dtype, long seed) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), config.toPrettyString());
        ModelConfig c = ModelConfig.readHuggingFace(dir.resolve("config.json"));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors(c, randomWeights(c, seed), dtype), Map.of("format", "pt"));
        return c;
    }

    /** A tiny bf16 model with a real family's architecture, its full vocabulary and its real tokenizer files. */
    public static Path tinyWithRealTokenizer(Path dir, String configFrom, String tokenizerFrom, int vocab) throws IOException {
        writeHuggingFace(dir, shrink(SharedFiles.hf(configFrom).resolve("config.json"), vocab), DType.BF16, 3);
        for (String f : new String[] {"tokenizer.json", "tokenizer_config.json"}) {
            Files.copy(SharedFiles.hf(tokenizerFrom).resolve(f), dir.resolve(f));
        }
        return dir;
    }

    private static float[] gaussian(Random rnd, int n, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rnd.nextGaussian() * std);
        return v;
    }

    private static float[] around1(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (1 + 0.1 * rnd.nextGaussian());
        return v;
    }
}
