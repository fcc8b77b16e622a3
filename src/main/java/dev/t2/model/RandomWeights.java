package dev.t2.model;

import dev.t2.tensor.DType;
import dev.t2.tensor.Floats;
import dev.t2.tensor.Parallel;
import dev.t2.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Off-heap random weights for any config, N(0, std²) for matrices and 1 for norms (as transformers
 * initialises Llama): synthetic models for benchmarks with real shapes, and the start of training from scratch.
 */
public final class RandomWeights {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private RandomWeights() {}

    public static LlamaWeights create(ModelConfig c, DType dtype, long seed, double std) {
        if (dtype.isQuantized()) throw new IllegalArgumentException("random weights are made in F32, F16 or BF16, not " + dtype);
        Map<String, Tensor> byName = new LinkedHashMap<>();
        SplittableRandom root = new SplittableRandom(seed);
        int d = c.hiddenSize(), q = c.queryDim(), kv = c.kvDim(), ff = c.intermediateSize();
        byName.put("model.embed_tokens.weight", gaussian("model.embed_tokens.weight", dtype, root.split(), std, c.vocabSize(), d));
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            byName.put(p + "input_layernorm.weight", ones(p + "input_layernorm.weight", dtype, d));
            byName.put(p + "self_attn.q_proj.weight", gaussian(p + "self_attn.q_proj.weight", dtype, root.split(), std, q, d));
            byName.put(p + "self_attn.k_proj.weight", gaussian(p + "self_attn.k_proj.weight", dtype, root.split(), std, kv, d));
            byName.put(p + "self_attn.v_proj.weight", gaussian(p + "self_attn.v_proj.weight", dtype, root.split(), std, kv, d));
            byName.put(p + "self_attn.o_proj.weight", gaussian(p + "self_attn.o_proj.weight", dtype, root.split(), std, d, q));
            if (c.attentionBias()) {
                byName.put(p + "self_attn.q_proj.bias", gaussian(p + "self_attn.q_proj.bias", dtype, root.split(), std, q));
                byName.put(p + "self_attn.k_proj.bias", gaussian(p + "self_attn.k_proj.bias", dtype, root.split(), std, kv));
                byName.put(p + "self_attn.v_proj.bias", gaussian(p + "self_attn.v_proj.bias", dtype, root.split(), std, kv));
            }
            byName.put(p + "post_attention_layernorm.weight", ones(p + "post_attention_layernorm.weight", dtype, d));
            byName.put(p + "mlp.gate_proj.weight", gaussian(p + "mlp.gate_proj.weight", dtype, root.split(), std, ff, d));
            byName.put(p + "mlp.up_proj.weight", gaussian(p + "mlp.up_proj.weight", dtype, root.split(), std, ff, d));
            byName.put(p + "mlp.down_proj.weight", gaussian(p + "mlp.down_proj.weight", dtype, root.split(), std, d, ff));
        }
        byName.put("model.norm.weight", ones("model.norm.weight", dtype, d));
        if (!c.tieWordEmbeddings()) byName.put("lm_head.weight", gaussian("lm_head.weight", dtype, root.split(), std, c.vocabSize(), d));
        return LlamaWeights.fromNames(c, byName::get, "random weights");
    }

    private static Tensor ones(String name, DType dtype, int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return Tensor.encode(name, dtype, v, n);
    }

    /** Filled in parallel blocks, each from its own split of the generator, so the result depends only on the seed. */
    private static Tensor gaussian(String name, DType dtype, SplittableRandom rnd, double std, long... shape) {
        long n = Tensor.elementCount(shape);
        MemorySegment seg = Arena.ofAuto().allocate(dtype.byteSize(n), 64);
        int block = 1 << 16;
        int blocks = (int) ((n + block - 1) / block);
        SplittableRandom[] streams = new SplittableRandom[blocks];
        for (int b = 0; b < blocks; b++) streams[b] = rnd.split();
        Parallel.forEach(blocks, b -> {
            SplittableRandom r = streams[b];
            long end = Math.min(n, (long) (b + 1) * block);
            for (long i = (long) b * block; i < end; i++) {
                float v = (float) (r.nextGaussian() * std);
                switch (dtype) {
                    case F32 -> seg.set(F32, 4 * i, v);
                    case F16 -> seg.set(I16, 2 * i, Float.floatToFloat16(v));
                    case BF16 -> seg.set(I16, 2 * i, Floats.toBf16(v));
                    default -> throw new IllegalStateException();
                }
            }
        });
        return new Tensor(name, dtype, shape, seg);
    }
}
