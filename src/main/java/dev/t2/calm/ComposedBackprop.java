package dev.t2.calm;

import dev.t2.model.Backprop;
import dev.t2.model.LlamaModel;
import dev.t2.model.TokenLoss;
import dev.t2.model.TrainableWeights;
import java.util.Map;

/**
 * The loss of the composed model on a batch and its gradient with respect to the composition's parameters only:
 * m_A runs forward once, m_B's frozen graph runs forward and backward with the cross-attention blocks inside it.
 */
public final class ComposedBackprop {
    private ComposedBackprop() {}

    /**
     * @param anchor  m_B as the training graph sees it, every weight frozen ({@link TrainableWeights#frozen})
     * @param augment m_A
     */
    public static Backprop.Result run(Composition composition, TrainableWeights anchor, LlamaModel augment, TokenLoss loss, boolean recompute) {
        return run(composition, anchor, AugmentStates.of(augment, loss.sequences(), composition.augmentLayers()), loss, recompute);
    }

    /** The same with m_A's states given (layer → [rows, D_A] over the loss's sequences). */
    static Backprop.Result run(Composition composition, TrainableWeights anchor, Map<Integer, float[]> augmentStates, TokenLoss loss, boolean recompute) {
        if (!anchor.trainable().isEmpty()) throw new IllegalArgumentException("the anchor must be frozen: CALM trains the composition only");
        return Backprop.run(anchor, loss, recompute, null, new CompositionHook(composition, augmentStates, loss.sequences()));
    }

    /**
     * The same loss and gradients over groups of whole sequences of at most {@code maxRows} tokens (bounded memory),
     * a group's anchor activations recomputed in the backward only when keeping them would not fit.
     */
    public static Backprop.Result runInMicroBatches(Composition composition, TrainableWeights anchor, LlamaModel augment, TokenLoss loss, int maxRows) {
        return runInMicroBatches(composition, anchor, new AugmentStateCache(augment, composition.augmentLayers(), 0), loss, maxRows); // keeps nothing
    }

    /** The same with m_A's states taken from {@code augmentStates}, which computes each sequence's once. */
    static Backprop.Result runInMicroBatches(Composition composition, TrainableWeights anchor, AugmentStateCache augmentStates, TokenLoss loss, int maxRows) {
        return Backprop.inMicroBatches(loss, maxRows, part -> run(composition, anchor, augmentStates.of(part.sequences()), part,
                Backprop.recomputeNeeded(anchor.config(), part.rows())));
    }
}
