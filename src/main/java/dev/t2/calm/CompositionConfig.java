package dev.t2.calm;

import dev.t2.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Which layers a composition connects and how many cross-attention heads each connection has.
 *
 * @param pairs the connections, in order; several may feed the same anchor layer (their results add up)
 * @param heads N_H: heads of every cross-attention, each of width D_B / N_H
 * @param positional position-aware cross-attention (our option; the paper's has no positions): the anchor's and the
 *                   augmenting model's states are RMS-normalised (no weights) before W^Q and f_proj, and queries and
 *                   keys are rotated by their shared token positions
 */
public record CompositionConfig(List<LayerPair> pairs, int heads, boolean positional) {
    public CompositionConfig {
        pairs = List.copyOf(pairs);
        if (pairs.isEmpty()) throw new IllegalArgumentException("a composition needs at least one layer pair");
        if (heads <= 0) throw new IllegalArgumentException("cross-attention heads must be > 0, got " + heads);
    }

    /** The paper's position-free cross-attention. */
    public CompositionConfig(List<LayerPair> pairs, int heads) {
        this(pairs, heads, false);
    }

    public CompositionConfig withPositional(boolean on) {
        return new CompositionConfig(pairs, heads, on);
    }

    /**
     * The paper's uniform choice for n pairs: the augmenting model's output after each of its n equal blocks
     * (every 4th layer when n = N_A/4), entering the anchor at the start of its n equal blocks, so the anchor
     * always has layers left above an injection to use it.
     */
    public static CompositionConfig uniform(int augmentLayers, int anchorLayers, int n, int heads) {
        if (n <= 0 || n > augmentLayers || n > anchorLayers) {
            throw new IllegalArgumentException(n + " layer pairs do not fit models of " + augmentLayers + " and " + anchorLayers + " layers");
        }
        List<LayerPair> pairs = new ArrayList<>();
        for (int k = 0; k < n; k++) pairs.add(new LayerPair((k + 1) * augmentLayers / n - 1, k * anchorLayers / n));
        return new CompositionConfig(pairs, heads);
    }

    /** The default number of pairs: every 4th layer of the augmenting model, at least one. */
    public static int defaultPairCount(int augmentLayers, int anchorLayers) {
        return Math.max(1, Math.min(augmentLayers / 4, anchorLayers));
    }

    /** Refuses a configuration that does not fit these two models, naming what is wrong. */
    public void check(ModelConfig augment, ModelConfig anchor) {
        for (LayerPair p : pairs) {
            if (p.augmentLayer() >= augment.numLayers()) {
                throw new IllegalArgumentException("layer pair " + p + ": the augmenting model has layers 0.." + (augment.numLayers() - 1));
            }
            if (p.anchorLayer() >= anchor.numLayers()) {
                throw new IllegalArgumentException("layer pair " + p + ": the anchor model has layers 0.." + (anchor.numLayers() - 1));
            }
        }
        if (anchor.hiddenSize() % heads != 0) {
            throw new IllegalArgumentException(heads + " cross-attention heads do not divide the anchor's hidden size " + anchor.hiddenSize());
        }
        if (positional && anchor.hiddenSize() / heads % 2 != 0) {
            throw new IllegalArgumentException("positional cross-attention needs an even head width; " + anchor.hiddenSize() + "/" + heads + " is odd");
        }
    }
}
