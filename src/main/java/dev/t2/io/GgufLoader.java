package dev.t2.io;

import dev.t2.model.LlamaWeights;
import dev.t2.model.ModelConfig;
import dev.t2.model.RopeScaling;
import dev.t2.tensor.Tensor;
import dev.t2.tokenizer.HfTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A GGUF file as a model, as llama.cpp writes them: architecture {@code llama} (q/k rows interleaved, as
 * llama.cpp's converter permutes them) or {@code qwen2} (rotate-half, unpermuted); weights are zero-copy
 * views in their ggml type; the tokenizer comes from the {@code tokenizer.ggml.*} metadata.
 */
final class GgufLoader {
    private GgufLoader() {}

    record Model(ModelConfig config, LlamaWeights weights) {}

    static LoadedModel load(Path file) {
        GgufFile gguf = GgufFile.open(file); // stays mapped for the model's lifetime
        Model m = model(gguf);
        HfTokenizer tokenizer = GgufTokenizer.build(gguf);
        Set<Integer> stops = new LinkedHashSet<>(m.config().eosTokenIds());
        if (tokenizer.eosId() >= 0) stops.add(tokenizer.eosId()); // llama.cpp's default EOS when the file names none
        for (String key : new String[] {"tokenizer.ggml.eot_token_id", "tokenizer.ggml.eom_token_id"}) {
            if (gguf.has(key)) stops.add(gguf.getInt(key));
        }
        dev.t2.tokenizer.ChatTemplate chat = gguf.has("tokenizer.chat_template")
                ? dev.t2.tokenizer.ChatTemplate.of(gguf.getString("tokenizer.chat_template"), GgufTokenizer.specialTokens(tokenizer), file + " (tokenizer.chat_template)")
                : null;
        return new LoadedModel(file, "gguf", m.config(), m.weights(), tokenizer, chat, stops);
    }

    static Model model(GgufFile g) {
        Path file = g.path();
        String arch = g.getString("general.architecture");
        String hfArch = switch (arch) {
            case "llama" -> "LlamaForCausalLM";
            case "qwen2" -> "Qwen2ForCausalLM";
            default -> throw new CheckpointException(file, "unsupported general.architecture '" + arch + "' (supported: llama, qwen2)");
        };
        int hidden = g.getInt(arch + ".embedding_length");
        int heads = g.getInt(arch + ".attention.head_count");
        int kvHeads = g.has(arch + ".attention.head_count_kv") ? g.getInt(arch + ".attention.head_count_kv") : heads;
        int headDim = g.has(arch + ".attention.key_length") ? g.getInt(arch + ".attention.key_length") : hidden / Math.max(1, heads);
        if (g.has(arch + ".rope.dimension_count") && g.getInt(arch + ".rope.dimension_count") != headDim) {
            throw new CheckpointException(file, "partial rotary embeddings (rope.dimension_count " + g.getInt(arch + ".rope.dimension_count")
                    + " of head dim " + headDim + ") are not supported");
        }
        Tensor embedding = required(g, "token_embd.weight");
        int vocab = g.has(arch + ".vocab_size") ? g.getInt(arch + ".vocab_size") : embedding.dim(0);
        double theta = g.has(arch + ".rope.freq_base") ? g.getFloat(arch + ".rope.freq_base") : 10000.0;
        RopeScaling scaling = ropeScaling(g, arch, headDim, theta);
        boolean tied = !g.hasTensor("output.weight");
        List<Integer> eos = new ArrayList<>();
        if (g.has("tokenizer.ggml.eos_token_id")) eos.add(g.getInt("tokenizer.ggml.eos_token_id"));
        ModelConfig config;
        try {
            config = new ModelConfig(hfArch, hidden, g.getInt(arch + ".feed_forward_length"), g.getInt(arch + ".block_count"),
                    heads, kvHeads, headDim, vocab, g.has(arch + ".context_length") ? g.getInt(arch + ".context_length") : 2048,
                    g.has(arch + ".attention.layer_norm_rms_epsilon") ? g.getFloat(arch + ".attention.layer_norm_rms_epsilon") : 1e-5f,
                    theta, scaling, arch.equals("llama"), tied, arch.equals("qwen2") || g.hasTensor("blk.0.attn_q.bias"), 0,
                    g.has("tokenizer.ggml.bos_token_id") ? g.getInt("tokenizer.ggml.bos_token_id") : -1, eos);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, e.getMessage(), e);
        }
        Map<String, String> hfToGguf = new HashMap<>();
        hfToGguf.put("model.embed_tokens.weight", "token_embd.weight");
        hfToGguf.put("model.norm.weight", "output_norm.weight");
        hfToGguf.put("lm_head.weight", "output.weight");
        String[][] perLayer = {{"input_layernorm.weight", "attn_norm.weight"}, {"self_attn.q_proj.weight", "attn_q.weight"},
                {"self_attn.k_proj.weight", "attn_k.weight"}, {"self_attn.v_proj.weight", "attn_v.weight"},
                {"self_attn.o_proj.weight", "attn_output.weight"}, {"self_attn.q_proj.bias", "attn_q.bias"},
                {"self_attn.k_proj.bias", "attn_k.bias"}, {"self_attn.v_proj.bias", "attn_v.bias"},
                {"post_attention_layernorm.weight", "ffn_norm.weight"}, {"mlp.gate_proj.weight", "ffn_gate.weight"},
                {"mlp.up_proj.weight", "ffn_up.weight"}, {"mlp.down_proj.weight", "ffn_down.weight"}};
        for (int l = 0; l < config.numLayers(); l++) {
            for (String[] pair : perLayer) hfToGguf.put("model.layers." + l + "." + pair[0], "blk." + l + "." + pair[1]);
        }
        try {
            LlamaWeights weights = LlamaWeights.fromNames(config, hfName -> {
                String name = hfToGguf.get(hfName);
                return name != null && g.hasTensor(name) ? g.tensor(name).withName(hfName) : null;
            }, file.toString());
            return new Model(config, weights);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(e.getMessage(), e);
        }
    }

    private static Tensor required(GgufFile g, String name) {
        if (!g.hasTensor(name)) throw new CheckpointException(g.path(), "missing tensor '" + name + "'");
        return g.tensor(name);
    }

    /**
     * llama.cpp stores Llama 3.1/3.2 scaling as a {@code rope_freqs.weight} tensor of per-frequency divisors;
     * we recognise which llama3 parameters produced it so the model stays expressible as an HF config.
     */
    private static RopeScaling ropeScaling(GgufFile g, String arch, int headDim, double theta) {
        String typeKey = arch + ".rope.scaling.type";
        if (g.has(typeKey) && g.getString(typeKey).equals("linear")) {
            return new RopeScaling("linear", g.getFloat(arch + ".rope.scaling.factor"), 1, 1, 0);
        }
        if (g.has(typeKey) && !g.getString(typeKey).equals("none")) {
            throw new CheckpointException(g.path(), "unsupported rope scaling '" + g.getString(typeKey) + "'");
        }
        if (!g.hasTensor("rope_freqs.weight")) return RopeScaling.NONE;
        float[] divisors = g.tensor("rope_freqs.weight").toFloatArray();
        float[] plain = RopeScaling.NONE.inverseFrequencies(headDim, theta);
        for (double factor : new double[] {8, 16, 32, 4, 2}) {
            RopeScaling candidate = new RopeScaling("llama3", factor, 1, 4, 8192);
            float[] scaled = candidate.inverseFrequencies(headDim, theta);
            boolean matches = divisors.length == plain.length;
            for (int i = 0; matches && i < plain.length; i++) matches = Math.abs(plain[i] / divisors[i] - scaled[i]) <= 1e-4 * plain[i];
            if (matches) return candidate;
        }
        throw new CheckpointException(g.path(), "rope_freqs.weight does not match Llama 3 scaling with low/high frequency factors 1/4 and 8192 original positions");
    }
}
