package dev.t2.calm;

import dev.t2.io.CheckpointException;
import dev.t2.io.SafetensorsFile;
import dev.t2.io.SafetensorsWriter;
import dev.t2.model.DenseLinear;
import dev.t2.model.LlamaWeights;
import dev.t2.model.ModelConfig;
import dev.t2.model.Parameter;
import dev.t2.svf.SvdCache;
import dev.t2.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Composition files: safetensors with one f32 tensor per module ("calm.pairs.K.proj.weight" [D_B, D_A], then
 * query/key/value/output [D_B, D_B]) and metadata naming the layer pairs, the heads, and each base model's
 * architecture, depth, width and weight fingerprint, so a composition is only ever run on the pair it was trained for.
 */
public final class CompositionFile {
    public static final String FORMAT = "t2-calm-v1";
    private static final String[] MODULES = {"proj", "query", "key", "value", "output"};

    private CompositionFile() {}

    /** A composition read back, with the free-form training information its file carries. */
    public record Loaded(Composition composition, Map<String, String> info) {}

    /** 16 hex digits over every layer's attention output matrix (bytes, dtype, shape): which weights these are, cheaply. */
    public static String fingerprint(ModelConfig config, LlamaWeights weights) {
        List<String> names = new ArrayList<>();
        for (int l = 0; l < config.numLayers(); l++) names.add("model.layers." + l + ".self_attn.o_proj");
        return SvdCache.fingerprint(weights, names);
    }

    public static void write(Path file, Composition c, ModelConfig augment, LlamaWeights augmentWeights, ModelConfig anchor,
                             LlamaWeights anchorWeights, Map<String, String> info) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Parameter p : c.parameters()) tensors.put(p.name(), Tensor.ofFloats(p.name(), p.value().clone(), p.shape()[0], p.shape()[1]));
        Map<String, String> meta = new LinkedHashMap<>(info);
        meta.put("format", FORMAT);
        meta.put("pairs", String.join(",", c.config().pairs().stream().map(LayerPair::toString).toList()));
        meta.put("heads", Integer.toString(c.config().heads()));
        meta.put("positional", Boolean.toString(c.config().positional()));
        meta.put("parameters", Long.toString(c.parameterCount()));
        describe(meta, "anchor", anchor, anchorWeights);
        describe(meta, "augment", augment, augmentWeights);
        SafetensorsWriter.write(file, tensors, meta);
    }

    private static void describe(Map<String, String> meta, String role, ModelConfig c, LlamaWeights w) {
        meta.put(role + "_architecture", c.architecture());
        meta.put(role + "_layers", Integer.toString(c.numLayers()));
        meta.put(role + "_hidden_size", Integer.toString(c.hiddenSize()));
        meta.put(role + "_fingerprint", fingerprint(c, w));
    }

    /** Reads a composition and refuses it unless it was trained for exactly this anchor and this augmenting model. */
    public static Loaded read(Path file, ModelConfig augment, LlamaWeights augmentWeights, ModelConfig anchor, LlamaWeights anchorWeights) {
        SafetensorsFile f = SafetensorsFile.open(file);
        Map<String, String> meta = new LinkedHashMap<>(f.metadata());
        if (!FORMAT.equals(meta.get("format"))) {
            throw new CheckpointException(file + ": not a t2 composition (format '" + meta.get("format") + "', expected '" + FORMAT + "')");
        }
        expect(file, meta, "anchor", anchor, anchorWeights);
        expect(file, meta, "augment", augment, augmentWeights);
        CompositionConfig config;
        try {
            config = new CompositionConfig(Arrays.stream(meta.get("pairs").split(",")).map(LayerPair::parse).toList(),
                    Integer.parseInt(meta.get("heads")), Boolean.parseBoolean(meta.getOrDefault("positional", "false")));
            config.check(augment, anchor);
        } catch (RuntimeException e) {
            throw new CheckpointException(file + ": bad 'pairs' or 'heads' metadata: " + e.getMessage(), e);
        }
        int da = augment.hiddenSize(), db = anchor.hiddenSize();
        List<CrossAttentionBlock> blocks = new ArrayList<>();
        for (int k = 0; k < config.pairs().size(); k++) {
            DenseLinear[] m = new DenseLinear[MODULES.length];
            for (int i = 0; i < MODULES.length; i++) {
                String name = CrossAttentionBlock.prefix(k) + MODULES[i] + ".weight";
                if (!f.contains(name)) throw new CheckpointException(file + ": missing tensor '" + name + "'");
                Tensor t = f.tensor(name);
                int in = i == 0 ? da : db;
                if (!Arrays.equals(t.shape(), new long[] {db, in})) {
                    throw new CheckpointException(file + ": tensor '" + name + "' is " + Arrays.toString(t.shape()) + ", expected [" + db + ", " + in + "]");
                }
                m[i] = new DenseLinear(new Parameter(name, t.toFloatArray(), db, in), db, in);
            }
            blocks.add(new CrossAttentionBlock(config.pairs().get(k), config.heads(), m[0], m[1], m[2], m[3], m[4]));
        }
        if (f.names().size() != MODULES.length * blocks.size()) {
            throw new CheckpointException(file + ": " + f.names().size() + " tensors for " + blocks.size() + " layer pairs (expected " + MODULES.length * blocks.size() + ")");
        }
        meta.keySet().removeIf(k -> k.equals("format") || k.equals("pairs") || k.equals("heads") || k.equals("positional") || k.equals("parameters")
                || k.startsWith("anchor_") || k.startsWith("augment_"));
        return new Loaded(new Composition(config, da, db, blocks), meta);
    }

    private static void expect(Path file, Map<String, String> meta, String role, ModelConfig c, LlamaWeights w) {
        String what = role.equals("anchor") ? "anchor" : "augmenting model";
        String shape = meta.get(role + "_architecture") + ", " + meta.get(role + "_layers") + " layers, width " + meta.get(role + "_hidden_size");
        String here = c.architecture() + ", " + c.numLayers() + " layers, width " + c.hiddenSize();
        if (!shape.equals(here)) {
            throw new IllegalArgumentException(file + " composes another " + what + " (" + shape + "); this " + what + " is " + here);
        }
        String fp = fingerprint(c, w);
        if (!fp.equals(meta.get(role + "_fingerprint"))) {
            throw new IllegalArgumentException(file + " was trained for another " + what + " of the same shape (fingerprint "
                    + meta.get(role + "_fingerprint") + ", this one " + fp + ")");
        }
    }
}
