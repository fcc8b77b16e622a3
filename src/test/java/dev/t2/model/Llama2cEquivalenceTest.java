package dev.t2.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.io.Llama2cCheckpoint;
import dev.t2.io.SafetensorsCheckpoint;
import dev.t2.tensor.DType;
import dev.t2.tensor.Tensor;
import dev.t2.testing.Llama2cWriter;
import dev.t2.testing.SharedFiles;
import dev.t2.testing.TinyModels;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same weights as a Hugging Face directory (rotate-half q/k rows) and as llama2.c (interleaved rows)
 * give the same logits: checks both RoPE layouts and the row permutation between them.
 */
class Llama2cEquivalenceTest {
    @TempDir
    Path tmp;

    @Test
    void tinyLlamaShapedModelGivesTheSameLogitsInBothFormats() throws Exception {
        // TinyLlama's architecture is what llama2.c can express: RoPE θ 10000, eps 1e-5, no bias, untied head
        var json = TinyModels.shrink(SharedFiles.hf("TinyLlama-1.1B-Chat-v1.0").resolve("config.json"), 80);
        json.put("max_position_embeddings", 32);
        json.put("hidden_size", json.get("num_attention_heads").asInt() * json.get("head_dim").asInt()); // llama2.c: head_dim = dim / heads
        ModelConfig c = TinyModels.writeHuggingFace(tmp.resolve("hf"), json, DType.F32, 5);
        LlamaModel hf = new LlamaModel(c, LlamaWeights.fromNames(c, SafetensorsCheckpoint.open(tmp.resolve("hf"))::find, "hf"));

        Map<String, float[]> interleaved = new LinkedHashMap<>();
        TinyModels.randomWeights(c, 5).forEach((name, values) -> {
            int heads = name.endsWith("q_proj.weight") ? c.numHeads() : name.endsWith("k_proj.weight") ? c.numKvHeads() : 0;
            if (heads > 0) {
                Tensor t = Tensor.ofFloats(name, values, values.length / c.hiddenSize(), c.hiddenSize());
                values = RopeLayout.toInterleaved(t, heads, c.headDim()).toFloatArray();
            }
            interleaved.put(name, values);
        });
        Path bin = tmp.resolve("model.bin");
        Llama2cWriter.write(bin, c, interleaved);
        var loaded = Llama2cCheckpoint.read(bin);
        assertThat(loaded.config().ropeInterleaved()).isTrue();
        LlamaModel l2c = new LlamaModel(loaded.config(), loaded.weights());

        int[] tokens = {1, 5, 9, 77, 3, 41, 41, 12};
        float[] a = hf.forward(List.of(new SequenceChunk(hf.newCache(), tokens)), LlamaModel.Logits.ALL);
        float[] b = l2c.forward(List.of(new SequenceChunk(l2c.newCache(), tokens)), LlamaModel.Logits.ALL);
        assertThat(b).hasSameSizeAs(a);
        for (int i = 0; i < a.length; i++) assertThat(b[i]).as("logit %d", i).isCloseTo(a[i], org.assertj.core.data.Offset.offset(1e-4f));
    }

    @Test
    void permutationRoundTripsAndMovesRowsAsTransformersDoes() {
        int heads = 2, hd = 4, cols = 3;
        float[] v = new float[heads * hd * cols];
        for (int i = 0; i < v.length; i++) v[i] = i;
        Tensor t = Tensor.ofFloats("q", v, heads * hd, cols);
        Tensor half = RopeLayout.toRotateHalf(t, heads, hd);
        // transformers: w.view(heads, hd/2, 2, cols).transpose(1, 2) — interleaved row 2i+k goes to k*hd/2+i
        assertThat(half.getFloat(1 * cols)).isEqualTo(v[2 * cols]); // row 1 ← row 2 (i=1, k=0)
        assertThat(half.getFloat(2 * cols)).isEqualTo(v[1 * cols]); // row 2 ← row 1 (i=0, k=1)
        assertThat(RopeLayout.toInterleaved(half, heads, hd).toFloatArray()).containsExactly(v);
    }
}
