package dev.t2.svf;

import dev.t2.io.CheckpointException;
import dev.t2.io.SafetensorsFile;
import dev.t2.model.LlamaWeights;
import dev.t2.tensor.MatMul;
import dev.t2.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained LoRA adapter read back from its file (PEFT tensor names "base_model.model.P.lora_A.weight" [r, in] and
 * "...lora_B.weight" [out, r], rank and alpha in the metadata), applied by merging W + (alpha/r)·B·A.
 */
public record LoraAdapter(Map<String, Factors> factors, int rank, float alpha, Map<String, String> info) {
    public static final String FORMAT = "t2-lora-v1";
    private static final String PREFIX = "base_model.model.";

    /** The two factors of one projection: A [rank, in], B [out, rank], row-major. */
    public record Factors(float[] a, float[] b, int out, int in) {}

    public long parameterCount() {
        return factors.values().stream().mapToLong(f -> (long) f.a().length + f.b().length).sum();
    }

    public static LoraAdapter read(Path file) {
        SafetensorsFile f = SafetensorsFile.open(file);
        Map<String, String> meta = f.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new CheckpointException(file + ": not a t2 LoRA adapter (format '" + meta.get("format") + "', expected '" + FORMAT + "')");
        }
        int rank;
        float alpha;
        try {
            rank = Integer.parseInt(meta.get("r"));
            alpha = Float.parseFloat(meta.get("lora_alpha"));
        } catch (RuntimeException e) {
            throw new CheckpointException(file + ": LoRA metadata 'r' / 'lora_alpha' missing or not numbers", e);
        }
        Map<String, Factors> factors = new LinkedHashMap<>();
        for (String name : f.names()) {
            if (!name.startsWith(PREFIX) || !name.endsWith(".lora_A.weight")) {
                if (name.startsWith(PREFIX) && name.endsWith(".lora_B.weight")) continue;
                throw new CheckpointException(file + ": unexpected tensor '" + name + "' in a LoRA adapter");
            }
            String projection = name.substring(PREFIX.length(), name.length() - ".lora_A.weight".length());
            String bName = PREFIX + projection + ".lora_B.weight";
            if (!f.names().contains(bName)) throw new CheckpointException(file + ": '" + name + "' has no matching '" + bName + "'");
            Tensor a = f.tensor(name), b = f.tensor(bName);
            if (a.shape().length != 2 || b.shape().length != 2 || a.shape()[0] != rank || b.shape()[1] != rank) {
                throw new CheckpointException(file + ": " + projection + ": factor shapes " + java.util.Arrays.toString(a.shape()) + " and "
                        + java.util.Arrays.toString(b.shape()) + " do not fit rank " + rank);
            }
            factors.put(projection, new Factors(a.toFloatArray(), b.toFloatArray(), (int) b.shape()[0], (int) a.shape()[1]));
        }
        if (factors.isEmpty()) throw new CheckpointException(file + ": a LoRA adapter without any lora_A/lora_B pair");
        Map<String, String> info = new LinkedHashMap<>(meta);
        for (String k : new String[] {"format", "r", "lora_alpha"}) info.remove(k);
        return new LoraAdapter(factors, rank, alpha, info);
    }

    /** The base with every adapted projection merged; refuses an adapter whose projections or shapes the base lacks. */
    public LlamaWeights applyTo(LlamaWeights base) {
        Map<String, Boolean> used = new LinkedHashMap<>();
        LlamaWeights merged = base.withProjections((name, w) -> {
            Factors fa = factors.get(name);
            if (fa == null) return w;
            if (fa.out() != w.rows() || fa.in() != w.cols()) {
                throw new IllegalArgumentException("LoRA adapter for " + name + " is " + fa.out() + "×" + fa.in() + " but the model's matrix is "
                        + w.rows() + "×" + w.cols() + ": an adapter of another model");
            }
            used.put(name, true);
            return merge(w, fa.a(), fa.b(), rank, alpha);
        });
        for (String p : factors.keySet()) {
            if (!used.containsKey(p)) throw new IllegalArgumentException("LoRA adapter adapts " + p + ", which the model does not have");
        }
        return merged;
    }

    /** W + (alpha/rank)·B·A as a dense f32 matrix. */
    static Tensor merge(Tensor w, float[] a, float[] b, int rank, float alpha) {
        int out = w.rows(), in = w.cols();
        float[] ba = new float[out * in];
        MatMul.matmulF32(b, out, rank, a, false, ba); // B [out, rank] · A [rank, in]
        float[] merged = w.toFloatArray();
        float scale = alpha / rank;
        for (int i = 0; i < merged.length; i++) merged[i] += scale * ba[i];
        return Tensor.ofFloats(w.name(), merged, out, in);
    }
}
