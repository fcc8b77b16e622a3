package dev.t2.calm;

import dev.t2.model.Backprop;
import dev.t2.model.LlamaModel;
import dev.t2.model.TokenLoss;
import dev.t2.model.TrainableWeights;

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
        if (!anchor.trainable().isEmpty()) throw new IllegalArgumentException("the anchor must be frozen: CALM trains the composition only");
        var states = AugmentStates.of(augment, loss.sequences(), composition.augmentLayers());
        return Backprop.run(anchor, loss, recompute, null, new CompositionHook(composition, states, loss.sequences()));
    }

    /**
     * The same loss and gradients over groups of whole sequences of at most {@code maxRows} tokens (bounded memory),
     * a group's anchor activations recomputed in the backward only when keeping them would not fit.
     */
    public static Backprop.Result runInMicroBatches(Composition composition, TrainableWeights anchor, LlamaModel augment, TokenLoss loss, int maxRows) {
        return Backprop.inMicroBatches(loss, maxRows, part -> run(composition, anchor, augment, part, Backprop.recomputeNeeded(anchor.config(), part.rows())));
    }
}
