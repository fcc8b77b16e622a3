package dev.t2.svf;

import dev.t2.io.SafetensorsWriter;
import dev.t2.model.LlamaModel;
import dev.t2.model.LlamaWeights;
import dev.t2.model.ModelConfig;
import dev.t2.model.TrainableWeights;
import dev.t2.rl.Policy;
import dev.t2.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The LoRA baseline of the paper: rank r factors on the chosen projections (paper: q and v, or q, v and the
 * MLP), alpha/r scaling, saved with PEFT's tensor names so other tools can read the adapter.
 */
public final class LoraPolicy implements Policy {
    private final ModelConfig config;
    private final LlamaWeights base;
    private final int rank;
    private final float alpha;
    private final Map<String, LoraLinear> adapted = new LinkedHashMap<>();
    private final TrainableWeights trainable;

    public LoraPolicy(ModelConfig config, LlamaWeights base, List<String> projections, int rank, float alpha, long seed) {
        this(config, base, projections, rank, alpha, 0f, seed);
    }

    /**
     * @param projections suffixes such as "self_attn.q_proj", "self_attn.v_proj", "mlp.up_proj"
     * @param dropout     LoRA dropout during training (the paper's baseline: 0.05)
     */
    public LoraPolicy(ModelConfig config, LlamaWeights base, List<String> projections, int rank, float alpha, float dropout, long seed) {
        this.config = config;
        this.base = base;
        this.rank = rank;
        this.alpha = alpha;
        Random rnd = new Random(seed);
        this.trainable = TrainableWeights.frozen(config, base).withProjections((name, lin) -> {
            if (projections.stream().noneMatch(name::endsWith)) return lin;
            LoraLinear l = LoraLinear.initialise(name, lin, rank, alpha, rnd).withDropout(dropout, seed + name.hashCode());
            adapted.put(name, l);
            return l;
        });
        if (adapted.isEmpty()) throw new IllegalArgumentException("no projection matches the LoRA targets " + projections);
    }

    @Override
    public void beginStep(long step) {
        adapted.values().forEach(l -> l.setStep(step));
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public LlamaWeights base() {
        return base;
    }

    @Override
    public TrainableWeights trainable() {
        return trainable;
    }

    /** Inference weights W + (alpha/r)·B·A as dense f32 for the adapted projections. */
    @Override
    public LlamaModel model() {
        return new LlamaModel(config, base.withProjections(this::merged));
    }

    private Tensor merged(String projection, Tensor w) {
        LoraLinear l = adapted.get(projection);
        return l == null ? w : LoraAdapter.merge(w, l.a().value(), l.b().value(), rank, alpha);
    }

    public long parameterCount() {
        return trainable.trainableCount();
    }

    @Override
    public void save(Path file, Map<String, String> info) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        adapted.forEach((name, l) -> {
            String peft = "base_model.model." + name;
            tensors.put(peft + ".lora_A.weight", Tensor.ofFloats(peft + ".lora_A.weight", l.a().value().clone(), rank, l.in()));
            tensors.put(peft + ".lora_B.weight", Tensor.ofFloats(peft + ".lora_B.weight", l.b().value().clone(), l.out(), rank));
        });
        Map<String, String> meta = new LinkedHashMap<>(info);
        meta.put("format", LoraAdapter.FORMAT);
        meta.put("r", Integer.toString(rank));
        meta.put("lora_alpha", Float.toString(alpha));
        SafetensorsWriter.write(file, tensors, meta);
    }
}
