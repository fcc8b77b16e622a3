package dev.t2.calm;

import dev.t2.model.LlamaModel;
import dev.t2.model.LlamaWeights;
import dev.t2.model.ModelConfig;
import dev.t2.model.Parameter;
import dev.t2.model.RandomWeights;
import dev.t2.model.RopeScaling;
import dev.t2.tensor.DType;
import java.util.List;
import java.util.Random;

/** Two tiny random models of different widths and depths sharing a vocabulary: m_A (Qwen2-like) and m_B (Llama). */
record TinyPair(ModelConfig augmentConfig, LlamaWeights augmentWeights, ModelConfig anchorConfig, LlamaWeights anchorWeights) {
    static final ModelConfig AUGMENT = new ModelConfig("Qwen2ForCausalLM", 24, 32, 3, 4, 2, 6, 32, 64, 1e-5f, 10000, RopeScaling.NONE,
            false, true, true, 0, 1, List.of(2));
    static final ModelConfig ANCHOR = new ModelConfig("LlamaForCausalLM", 16, 24, 3, 4, 2, 4, 32, 64, 1e-5f, 10000, RopeScaling.NONE,
            false, false, false, 0, 1, List.of(2));

    static TinyPair create(DType dtype) {
        return new TinyPair(AUGMENT, RandomWeights.create(AUGMENT, dtype, 5, 0.3), ANCHOR, RandomWeights.create(ANCHOR, dtype, 6, 0.3));
    }

    LlamaModel augment() {
        return new LlamaModel(augmentConfig, augmentWeights);
    }

    LlamaModel anchor() {
        return new LlamaModel(anchorConfig, anchorWeights);
    }

    /** Pairs (1,0), (2,1), (0,1) and (2,−1): two enter the same anchor layer, one the anchor's embeddings. */
    Composition composition(long seed) {
        return composition(seed, false);
    }

    Composition composition(long seed, boolean positional) {
        return Composition.initialise(new CompositionConfig(List.of(new LayerPair(1, 0), new LayerPair(2, 1), new LayerPair(0, 1), new LayerPair(2, -1)), 2, positional),
                augmentConfig, anchorConfig, seed);
    }

    /** The same with every W^O random too, so the cross-attention changes the output. */
    Composition trainedLooking(long seed) {
        return trainedLooking(seed, false);
    }

    Composition trainedLooking(long seed, boolean positional) {
        Composition c = composition(seed, positional);
        Random rnd = new Random(seed + 1);
        for (Parameter p : c.parameters()) {
            if (p.name().endsWith("output.weight")) for (int i = 0; i < p.size(); i++) p.value()[i] = (float) (0.5 * rnd.nextGaussian());
        }
        return c;
    }
}
