package dev.t2.model;

/** A {@link ResidualHook} with trainable parameters, which the training graph also runs backwards. */
public interface TrainableResidualHook extends ResidualHook {
    /**
     * Called in the backward pass with dL/d(residual + term) after {@code layer} (−1: the embeddings): adds the gradients of the hook's
     * parameters and returns dL/d(residual) through the term (the part besides the identity), or null for none.
     */
    float[] backward(int layer, float[] dSum);
}
