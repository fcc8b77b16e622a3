package dev.t2.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2.model.LlamaModel;
import dev.t2.model.LlamaWeights;
import dev.t2.model.ModelConfig;
import dev.t2.model.RopeLayout;
import dev.t2.model.RopeScaling;
import dev.t2.model.SequenceChunk;
import dev.t2.tensor.DType;
import dev.t2.tensor.Quantize;
import dev.t2.tensor.Tensor;
import dev.t2.testing.SharedFiles;
import dev.t2.testing.TinyModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tiny models written as GGUF the way llama.cpp's converter lays them out give the logits of the HF original. */
class GgufModelTest {
    static final int[] TOKENS = {1, 7, 30, 2, 55, 9, 9, 41};

    @TempDir
    Path tmp;

    /** Writes the HF weights as GGUF with llama.cpp's names, metadata and (for llama) interleaved q/k rows. */
    static void writeGguf(Path file, String arch, ModelConfig c, Map<String, float[]> weights, DType matrixType) {
        GgufWriter w = new GgufWriter();
        putModelMetadata(w, arch, c);
        Map<String, Tensor> hf = TinyModels.tensors(c, weights, DType.F32);
        hf.forEach((name, t) -> {
            String g = ggufName(name);
            if (arch.equals("llama") && name.contains("q_proj")) t = RopeLayout.toInterleaved(t, c.numHeads(), c.headDim());
            if (arch.equals("llama") && name.contains("k_proj")) t = RopeLayout.toInterleaved(t, c.numKvHeads(), c.headDim());
            boolean matrix = t.rank() == 2;
            w.addTensor(matrix ? Quantize.encode(g, matrixType, t.toFloatArray(), t.shape()) : t.withName(g));
        });
        w.write(file);
    }

    /** The {@code <arch>.*} hyperparameters (and Llama 3 scaling as rope_freqs.weight) llama.cpp's converter writes. */
    static void putModelMetadata(GgufWriter w, String arch, ModelConfig c) {
        w.putString("general.architecture", arch);
        w.putUInt32(arch + ".embedding_length", c.hiddenSize());
        w.putUInt32(arch + ".feed_forward_length", c.intermediateSize());
        w.putUInt32(arch + ".block_count", c.numLayers());
        w.putUInt32(arch + ".attention.head_count", c.numHeads());
        w.putUInt32(arch + ".attention.head_count_kv", c.numKvHeads());
        w.putUInt32(arch + ".attention.key_length", c.headDim());
        w.putUInt32(arch + ".rope.dimension_count", c.headDim());
        w.putUInt32(arch + ".context_length", c.maxPositions());
        w.putFloat(arch + ".attention.layer_norm_rms_epsilon", c.rmsNormEps());
        w.putFloat(arch + ".rope.freq_base", (float) c.ropeTheta());
        if (c.ropeScaling().type().equals("llama3")) {
            float[] plain = RopeScaling.NONE.inverseFrequencies(c.headDim(), c.ropeTheta());
            float[] scaled = c.ropeScaling().inverseFrequencies(c.headDim(), c.ropeTheta());
            float[] factors = new float[plain.length];
            for (int i = 0; i < plain.length; i++) factors[i] = plain[i] / scaled[i];
            w.addTensor(Tensor.ofFloats("rope_freqs.weight", factors, factors.length));
        }
    }

    /** llama.cpp's name for a Hugging Face tensor name. */
    static String ggufName(String hfName) {
        String[][] names = {{"input_layernorm.weight", "attn_norm.weight"}, {"self_attn.q_proj.weight", "attn_q.weight"},
                {"self_attn.k_proj.weight", "attn_k.weight"}, {"self_attn.v_proj.weight", "attn_v.weight"},
                {"self_attn.o_proj.weight", "attn_output.weight"}, {"self_attn.q_proj.bias", "attn_q.bias"},
                {"self_attn.k_proj.bias", "attn_k.bias"}, {"self_attn.v_proj.bias", "attn_v.bias"},
                {"post_attention_layernorm.weight", "ffn_norm.weight"}, {"mlp.gate_proj.weight", "ffn_gate.weight"},
                {"mlp.up_proj.weight", "ffn_up.weight"}, {"mlp.down_proj.weight", "ffn_down.weight"}};
        return switch (hfName) {
            case "model.embed_tokens.weight" -> "token_embd.weight";
            case "model.norm.weight" -> "output_norm.weight";
            case "lm_head.weight" -> "output.weight";
            default -> {
                String rest = hfName.substring(hfName.indexOf('.', "model.layers.".length()) + 1);
                String layer = hfName.substring("model.layers.".length(), hfName.indexOf('.', "model.layers.".length()));
                String mapped = null;
                for (String[] p : names) if (p[0].equals(rest)) mapped = "blk." + layer + "." + p[1];
                yield mapped;
            }
        };
    }

    private void compare(String realConfig, String arch, DType matrixType, double tolerance) throws Exception {
        var json = TinyModels.shrink(SharedFiles.hf(realConfig).resolve("config.json"), 64);
        ModelConfig c = TinyModels.writeHuggingFace(tmp.resolve("hf"), json, DType.F32, 21);
        LlamaModel hf = new LlamaModel(c, LlamaWeights.fromNames(c, SafetensorsCheckpoint.open(tmp.resolve("hf"))::find, "hf"));
        Path file = tmp.resolve(arch + "-" + matrixType + ".gguf");
        writeGguf(file, arch, c, TinyModels.randomWeights(c, 21), matrixType);
        var loaded = GgufLoader.model(GgufFile.open(file));
        assertThat(loaded.config().ropeScaling()).isEqualTo(c.ropeScaling());
        assertThat(loaded.config().tieWordEmbeddings()).isEqualTo(c.tieWordEmbeddings());
        LlamaModel gguf = new LlamaModel(loaded.config(), loaded.weights());
        float[] a = hf.forward(List.of(new SequenceChunk(hf.newCache(), TOKENS)), LlamaModel.Logits.ALL);
        float[] b = gguf.forward(List.of(new SequenceChunk(gguf.newCache(), TOKENS)), LlamaModel.Logits.ALL);
        double worst = 0, scale = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(a[i]));
        }
        assertThat(worst / scale).as("max logit difference relative to the largest logit").isLessThan(tolerance);
    }

    @Test
    void llamaArchitectureWithInterleavedRowsAndLlama3Scaling() throws Exception {
        compare("_resaved-not-original/Llama-3.2-1B-Instruct", "llama", DType.F32, 1e-5);
    }

    @Test
    void qwen2ArchitectureWithBiases() throws Exception {
        compare("_resaved-not-original/Qwen2.5-0.5B-Instruct", "qwen2", DType.F32, 1e-5);
    }

    @Test
    void quantizedMatricesStayCloseToTheOriginal() throws Exception {
        compare("TinyLlama-1.1B-Chat-v1.0", "llama", DType.F16, 2e-3);
        compare("TinyLlama-1.1B-Chat-v1.0", "llama", DType.Q8_0, 2e-2);
        // 4-bit weights err by up to ~7 % each; the kernel itself is checked exactly against dequantized values elsewhere
        compare("TinyLlama-1.1B-Chat-v1.0", "llama", DType.Q4_0, 0.3);
    }

    @Test
    void unsupportedArchitectureIsNamed() throws Exception {
        Path f = tmp.resolve("phi.gguf");
        new GgufWriter().putString("general.architecture", "phi3").write(f);
        assertThatThrownBy(() -> GgufLoader.model(GgufFile.open(f))).isInstanceOf(CheckpointException.class)
                .hasMessageContainingAll(f.toString(), "phi3");
    }
}
