package dev.t2.io;

import dev.t2.model.LlamaWeights;
import dev.t2.model.ModelConfig;
import dev.t2.model.RopeScaling;
import dev.t2.tensor.DType;
import dev.t2.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Karpathy's llama2.c checkpoint: the legacy layout (7-int header then f32 weights) and version 1
 * ("ak42" magic, 256-byte header, f32). Weights are memory-mapped views in HF naming; rotary pairs are
 * interleaved, as the original Meta layout, so the config says {@code ropeInterleaved}.
 */
public final class Llama2cCheckpoint {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int MAGIC_AK42 = 0x616b3432;

    public record Loaded(ModelConfig config, LlamaWeights weights) {}

    private Llama2cCheckpoint() {}

    public static Loaded read(Path file) {
        MemorySegment seg = MappedFile.map(file);
        String src = file.toString();
        if (seg.byteSize() < 28) throw new CheckpointException(src + ": truncated llama2.c header (" + seg.byteSize() + " bytes)");
        boolean v1 = seg.get(INT, 0) == MAGIC_AK42;
        long headerBytes;
        int[] h = new int[7];
        boolean shared;
        if (v1) {
            if (seg.byteSize() < 256) throw new CheckpointException(src + ": truncated llama2.c v1 header");
            int version = seg.get(INT, 4);
            if (version != 1) throw new CheckpointException(src + ": llama2.c format version " + version + " is not supported (only legacy and version 1, float32)");
            for (int i = 0; i < 7; i++) h[i] = seg.get(INT, 8 + 4L * i);
            shared = seg.get(ValueLayout.JAVA_BYTE, 36) != 0;
            headerBytes = 256;
        } else {
            for (int i = 0; i < 7; i++) h[i] = seg.get(INT, 4L * i);
            shared = h[5] > 0;
            h[5] = Math.abs(h[5]);
            headerBytes = 28;
        }
        int dim = h[0], hidden = h[1], layers = h[2], heads = h[3], kvHeads = h[4], vocab = h[5], seqLen = h[6];
        if (dim <= 0 || hidden <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || vocab <= 0 || seqLen <= 0
                || dim % heads != 0 || heads % kvHeads != 0 || dim > 1 << 16 || layers > 1024) {
            throw new CheckpointException(src + ": implausible llama2.c header dim=" + dim + " hidden=" + hidden + " layers=" + layers
                    + " heads=" + heads + " kv_heads=" + kvHeads + " vocab=" + vocab + " seq_len=" + seqLen);
        }
        int headDim = dim / heads, kvDim = kvHeads * headDim;
        ModelConfig config;
        try { // ModelConfig has invariants the checks above do not cover (an odd head dim): a bad header must still be a CheckpointException
            config = new ModelConfig("LlamaForCausalLM", dim, hidden, layers, heads, kvHeads, headDim, vocab, seqLen,
                    1e-5f, 10000.0, RopeScaling.NONE, true, shared, false, 0, 1,
                    List.of(1, 2)); // llama2.c models delimit stories with BOS: run.c stops on it
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(src + ": llama2.c header dim=" + dim + " heads=" + heads + " is not a usable model: " + e.getMessage(), e);
        }

        var cursor = new Object() {
            long offset = headerBytes;

            Tensor next(String name, long... shape) {
                long bytes = DType.F32.byteSize(Tensor.elementCount(shape));
                if (offset + bytes > seg.byteSize()) {
                    throw new CheckpointException(src + ": truncated: tensor '" + name + "' needs bytes [" + offset + ", "
                            + (offset + bytes) + ") but the file has " + seg.byteSize());
                }
                Tensor t = new Tensor(name, DType.F32, shape, seg.asSlice(offset, bytes));
                offset += bytes;
                return t;
            }
        };
        Map<String, Tensor> byName = new HashMap<>();
        String[] perLayerOrder = {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
                "mlp.gate_proj", "mlp.down_proj", "mlp.up_proj"};
        long[][] shapes = {{dim, dim}, {kvDim, dim}, {kvDim, dim}, {dim, dim}, {hidden, dim}, {dim, hidden}, {hidden, dim}};
        if (!v1) {
            readOne(byName, cursor::next, "model.embed_tokens.weight", new long[] {vocab, dim});
            readNorms(byName, cursor::next, layers, "input_layernorm", dim);
            for (int m = 0; m < 4; m++) readMatrices(byName, cursor::next, layers, perLayerOrder[m], shapes[m]);
            readNorms(byName, cursor::next, layers, "post_attention_layernorm", dim);
            for (int m = 4; m < 7; m++) readMatrices(byName, cursor::next, layers, perLayerOrder[m], shapes[m]);
            readOne(byName, cursor::next, "model.norm.weight", new long[] {dim});
            cursor.offset += 2L * seqLen * (headDim / 2) * 4; // legacy freq_cis_real/imag tables, unused
        } else {
            readNorms(byName, cursor::next, layers, "input_layernorm", dim);
            readNorms(byName, cursor::next, layers, "post_attention_layernorm", dim);
            readOne(byName, cursor::next, "model.norm.weight", new long[] {dim});
            readOne(byName, cursor::next, "model.embed_tokens.weight", new long[] {vocab, dim});
            for (int m = 0; m < 7; m++) readMatrices(byName, cursor::next, layers, perLayerOrder[m], shapes[m]);
        }
        if (!shared) readOne(byName, cursor::next, "lm_head.weight", new long[] {vocab, dim});
        if (cursor.offset > seg.byteSize()) throw new CheckpointException(src + ": truncated after the weights");
        if (cursor.offset < seg.byteSize()) { // a header that disagrees with the file would otherwise load shifted garbage
            throw new CheckpointException(src + ": " + (seg.byteSize() - cursor.offset) + " bytes beyond the weights the header describes (dim="
                    + dim + " hidden=" + hidden + " layers=" + layers + " vocab=" + vocab + " seq_len=" + seqLen + "): wrong header or not a llama2.c float32 file");
        }
        return new Loaded(config, LlamaWeights.fromNames(config, byName::get, src));
    }

    private interface Next {
        Tensor next(String name, long... shape);
    }

    private static void readOne(Map<String, Tensor> out, Next next, String name, long[] shape) {
        out.put(name, next.next(name, shape));
    }

    private static void readNorms(Map<String, Tensor> out, Next next, int layers, String norm, int dim) {
        for (int l = 0; l < layers; l++) {
            String name = "model.layers." + l + "." + norm + ".weight";
            out.put(name, next.next(name, dim));
        }
    }

    private static void readMatrices(Map<String, Tensor> out, Next next, int layers, String matrix, long[] shape) {
        for (int l = 0; l < layers; l++) {
            String name = "model.layers." + l + "." + matrix + ".weight";
            out.put(name, next.next(name, shape));
        }
    }
}
