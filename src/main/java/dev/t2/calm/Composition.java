package dev.t2.calm;

import dev.t2.model.ModelConfig;
import dev.t2.model.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The composition modules of an anchor m_B and an augmenting model m_A: one {@link CrossAttentionBlock} per layer
 * pair. These are the only weights CALM trains; both models stay as loaded.
 */
public record Composition(CompositionConfig config, int augmentWidth, int anchorWidth, List<CrossAttentionBlock> blocks) {
    public Composition {
        blocks = List.copyOf(blocks);
        if (blocks.size() != config.pairs().size()) throw new IllegalArgumentException(blocks.size() + " blocks for " + config.pairs().size() + " pairs");
    }

    /** Fresh modules for these two models (checked against them), seeded, with W^O = 0. */
    public static Composition initialise(CompositionConfig config, ModelConfig augment, ModelConfig anchor, long seed) {
        config.check(augment, anchor);
        Random rnd = new Random(seed);
        List<CrossAttentionBlock> blocks = new ArrayList<>();
        for (int i = 0; i < config.pairs().size(); i++) {
            blocks.add(CrossAttentionBlock.initialise(i, config.pairs().get(i), config.heads(), augment.hiddenSize(), anchor.hiddenSize(), rnd));
        }
        return new Composition(config, augment.hiddenSize(), anchor.hiddenSize(), blocks);
    }

    /** Every trainable tensor, in a stable order (pair by pair: f_proj, W^Q, W^K, W^V, W^O). */
    public List<Parameter> parameters() {
        List<Parameter> out = new ArrayList<>();
        for (CrossAttentionBlock b : blocks) out.addAll(b.parameters());
        return out;
    }

    public long parameterCount() {
        return parameters().stream().mapToLong(Parameter::size).sum();
    }

    /** The paper's count n·(D_A·D_B + 4·D_B²). */
    public static long formulaCount(int pairs, int augmentWidth, int anchorWidth) {
        return (long) pairs * ((long) augmentWidth * anchorWidth + 4L * anchorWidth * anchorWidth);
    }

    public void zeroGrad() {
        parameters().forEach(Parameter::zeroGrad);
    }

    /** The augmenting model's layers whose outputs the composition reads. */
    int[] augmentLayers() {
        return config.pairs().stream().mapToInt(LayerPair::augmentLayer).distinct().sorted().toArray();
    }
}
