package dev.t2.svf;

import dev.t2.model.LlamaModel;
import dev.t2.model.LlamaWeights;
import dev.t2.model.ModelConfig;
import dev.t2.model.Parameter;
import dev.t2.model.TrainableWeights;
import dev.t2.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A base model with SVF scales on its target matrices: the training graph ({@link #trainable()}) and, for
 * rollouts and evaluation, an inference model with the current W' ({@link #model()}) — both from the same
 * SvfLinear maps, so W' is built once per change of the scales.
 */
public final class SvfPolicy implements dev.t2.rl.Policy {
    private final ModelConfig config;
    private final LlamaWeights base;
    private final SvfTargets targets;
    private final Map<String, SvfLinear> adapted = new LinkedHashMap<>();
    private final TrainableWeights trainable;

    public SvfPolicy(ModelConfig config, LlamaWeights base, Map<String, Svd> svds, SvfTargets targets, float maxMult, long seed) {
        this.config = config;
        this.base = base;
        this.targets = targets;
        Random rnd = new Random(seed);
        this.trainable = TrainableWeights.frozen(config, base).withProjections((name, lin) -> {
            if (!targets.includes(name)) return lin;
            Svd svd = svds.get(name);
            if (svd == null) throw new IllegalArgumentException("no SVD for " + name);
            SvfLinear s = new SvfLinear(svd, SvfLinear.initialLogits(name, svd.rank(), rnd), maxMult);
            adapted.put(name, s);
            return s;
        });
    }

    @Override
    public void save(java.nio.file.Path file, Map<String, String> info) {
        ExpertFile.write(file, new SvfExpert(scales(), shapes(), SvdCache.fingerprint(base, List.copyOf(adapted.keySet())),
                config.architecture(), targets, info));
    }

    @Override
    public TrainableWeights trainable() {
        return trainable;
    }

    public SvfTargets targets() {
        return targets;
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public LlamaWeights base() {
        return base;
    }

    /** Current z per adapted projection. */
    public Map<String, float[]> scales() {
        Map<String, float[]> out = new LinkedHashMap<>();
        adapted.forEach((n, s) -> out.put(n, s.scale()));
        return out;
    }

    public Map<String, int[]> shapes() {
        Map<String, int[]> out = new LinkedHashMap<>();
        adapted.forEach((n, s) -> out.put(n, new int[] {s.out(), s.in()}));
        return out;
    }

    /** The inference model with the current adapted matrices (dense f32), everything else the base's. */
    @Override
    public LlamaModel model() {
        return new LlamaModel(config, base.withProjections(this::current));
    }

    private Tensor current(String projection, Tensor baseMatrix) {
        SvfLinear s = adapted.get(projection);
        return s == null ? baseMatrix : Tensor.ofFloats(baseMatrix.name(), s.weight(), baseMatrix.rows(), baseMatrix.cols());
    }

    /** Sets the scales from an expert (p = logit(z / maxMult)), e.g. to resume or to start from another expert. */
    public void load(Map<String, float[]> logits) {
        adapted.forEach((n, s) -> {
            float[] p = logits.get(n);
            if (p == null || p.length != s.logits().size()) throw new IllegalArgumentException("no matching parameters for " + n);
            System.arraycopy(p, 0, s.logits().value(), 0, p.length);
        });
    }

    /** Raw p per projection (what the optimizer updates; checkpoints save these). */
    public Map<String, float[]> logits() {
        Map<String, float[]> out = new LinkedHashMap<>();
        adapted.forEach((n, s) -> out.put(n, s.logits().value().clone()));
        return out;
    }

    /** Only for tests and tools that need the maps. */
    Map<String, SvfLinear> adaptedMaps() {
        return adapted;
    }

}
