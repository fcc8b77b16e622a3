package dev.t2.testing;

import dev.t2.model.ModelConfig;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes f32 weights in llama2.c's legacy layout (run.c's order), q/k rows given in the interleaved layout. */
public final class Llama2cWriter {
    private Llama2cWriter() {}

    public static void write(Path file, ModelConfig c, Map<String, float[]> interleavedWeights) throws IOException {
        boolean shared = !interleavedWeights.containsKey("lm_head.weight");
        try (var out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
            int[] header = {c.hiddenSize(), c.intermediateSize(), c.numLayers(), c.numHeads(), c.numKvHeads(),
                    shared ? c.vocabSize() : -c.vocabSize(), c.maxPositions()};
            for (int h : header) floats(out, null, h);
            floats(out, interleavedWeights.get("model.embed_tokens.weight"), 0);
            perLayer(out, c, interleavedWeights, "input_layernorm");
            for (String m : new String[] {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj"}) perLayer(out, c, interleavedWeights, m);
            perLayer(out, c, interleavedWeights, "post_attention_layernorm");
            for (String m : new String[] {"mlp.gate_proj", "mlp.down_proj", "mlp.up_proj"}) perLayer(out, c, interleavedWeights, m);
            floats(out, interleavedWeights.get("model.norm.weight"), 0);
            floats(out, new float[c.maxPositions() * c.headDim()], 0); // legacy freq_cis tables
            if (!shared) floats(out, interleavedWeights.get("lm_head.weight"), 0);
        }
    }

    private static void perLayer(DataOutputStream out, ModelConfig c, Map<String, float[]> w, String name) throws IOException {
        for (int l = 0; l < c.numLayers(); l++) floats(out, w.get("model.layers." + l + "." + name + ".weight"), 0);
    }

    private static void floats(DataOutputStream out, float[] values, int intValue) throws IOException {
        if (values == null) {
            out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(intValue).array());
            return;
        }
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) buf.putFloat(v);
        out.write(buf.array());
    }
}
